//! The spam detector through the public API: text-message spam, what spam looks like under a
//! school's posts, evasion, and ordinary school messages that must pass.

use std::sync::OnceLock;

use analyse::{Analysis, Context, Detector, Label, Settings, analyse};

fn ctx() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| Context::new(Settings::default()).expect("the built-in lexicons and weights load"))
}

fn run(text: &str) -> Analysis {
    analyse(text, ctx())
}

fn spam(text: &str) -> bool {
    run(text).has(Label::Spam)
}

fn evidence(text: &str) -> String {
    run(text)
        .findings
        .iter()
        .filter(|f| f.label == Label::Spam)
        .map(|f| f.evidence.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Assert that every text is spam, naming the first that is not and its evidence.
fn spammy(texts: &[&str]) {
    for text in texts {
        assert!(spam(text), "{text:?}: {}", evidence(text));
    }
}

/// Assert that no text is spam, naming the first that is and its evidence.
fn not_spam(texts: &[&str]) {
    for text in texts {
        assert!(!spam(text), "{text:?}: {}", evidence(text));
    }
}

#[test]
fn text_message_spam() {
    spammy(&[
        "WINNER!! As a valued network customer you have been selected to receive a £900 prize reward! To claim call 09061701461. Claim code KL341.",
        "Free entry in 2 a wkly comp to win FA Cup final tkts. Text FA to 87121 to receive entry question(std txt rate)T&C's apply",
        "URGENT! Your mobile number has been awarded a £2000 prize GUARANTEED. Call 0906 170 1461 from landline",
        "You have won a Nokia phone! Text WIN to 85233 now. 150p/msg",
    ]);
}

#[test]
fn delivery_voicemail_and_stock_scams() {
    spammy(&[
        "Royal Mail: we were unable to deliver your parcel. Please call 07046 744435 to reschedule",
        "You have 1 new message. Call 0207-083-6089",
        "Explosive stock pick, STRONG BUY, up 300% this week",
        "Donate £5 by texting GIVE to 70070, £5 will be added to your next bill",
    ]);
    not_spam(&["The parcel from the PTA arrived, thanks", "Sorry I missed your message, can we reschedule?"]);
}

#[test]
fn numbers_are_named_in_the_evidence() {
    assert!(evidence("please call 07046744435 to arrange it").contains("personal number"));
    assert!(evidence("To claim call 09061701461 now").contains("premium-rate number"));
    assert!(evidence("Text WIN to 87121 to claim your prize").contains("short code 87121"));
    assert!(evidence("Hot chat 24/7, only 150p/min, call now").contains("a charge per unit"));
}

#[test]
fn spam_under_a_school_post() {
    spammy(&[
        "DM me for crypto investment, I earned £5000 in a week",
        "I earned £5000 working from home last month, inbox me to find out how",
        "Thanks to Mrs Anna my investment manager I now earn $3000 weekly from bitcoin trading, contact her on WhatsApp",
        "Check my profile for the giveaway!! click the link in bio",
        "Make money from the comfort of your home, no experience needed, passive income guaranteed",
        "Hot singles in your area, visit my profile",
        "Buy Instagram followers cheap at www.fastfollowers.biz",
        "Loans approved in minutes, no credit check, call 0800 123 4567",
        "I invested in bitcoin with Mr John and doubled my money, message him on WhatsApp",
    ]);
}

#[test]
fn spelled_to_get_past_filters() {
    spammy(&[
        "Ｆｒｅｅ entry! Text WIN to 87121 to claim",
        "fr33 crypt0 giveaway, dm me for pr0fits",
        "c.h.e.c.k my profile babe",
    ]);
}

#[test]
fn ordinary_school_messages_are_not_spam() {
    not_spam(&[
        "Please text the office if your child is ill",
        "Congratulations to our raffle winners! Prizes can be collected from the office",
        "Free school meals applications are open, apply now",
        "The Christmas fair raised £540 for the PTA, thank you everyone",
        "Ring the office on 01632 960001 about the trip on 12 May",
        "Check out the school website for the term dates",
        "Please follow our school page for updates",
        "Reply to this email to confirm your child's place by Friday",
        "Can I pay for the school trip online? It costs £12",
        "Well done Year 6, you won the quiz!",
        "Our netball team gained loads of new followers after the final",
        "The uniform shop is open today only, 3 to 4pm",
    ]);
}

#[test]
fn self_promotion_uk_smishing_and_comment_spam() {
    spammy(&[
        "Hello, I am a young singer from Brazil, please listen to my songs",
        "Guys I just uploaded a new video, go check it out on my channel!",
        "Royal Mail: Your parcel is awaiting a £1.99 shipping fee. Pay now at royalmail-redelivery.info",
        "Hi Mum, I've dropped my phone down the toilet, this is my new number, can you text me on WhatsApp?",
        "Your Netflix payment has failed. Update your billing details at netflix-billing-update.com",
        "Very helpful, bookmarked! Check our SEO services for more traffic",
        "I just made $3000 this week with this simple trick, message me to find out how",
        "Visit www.cheap-watches-sale.com for the best replica watches",
        "Please help me reach 10k subscribers, I upload every week",
        "Hey everyone, check out my covers on my channel",
        "I'm a 19 year old rapper, please give my channel a chance",
        "We are giving away 50 free laptops to school families, just share this post and comment DONE",
        "Get 1000 followers instantly at followboost dot com",
        "If you want free Amazon gift cards go to my profile",
        "Win a PS5! Just follow, like and tag 3 friends, winner announced Friday",
        "Dear customer, your bank account will be closed unless you verify at http://secure-barclays-verify.net",
    ]);
    assert!(
        evidence("please listen to my songs").contains("the writer's own"),
        "{}",
        evidence("please listen to my songs")
    );
    not_spam(&[
        "Can't wait to watch my daughter's video of the concert",
        "Visit our website for the term dates",
        "Year 5 will check them out of the library and subscribe to the newsletter",
        "The choir's covers of the hymns are on the school's channel",
        "Please share this post so families know the school is closed tomorrow",
        "Our followers loved the harvest festival photos, thank you",
        "Not tonight mate. Catching up on some sleep. This is my new number by the way.",
        "Please update your contact details with the office if you have a new number",
        "If viagra was a school subject he'd fail it",
        "Year 4 built a replica of a Roman villa, come and see it in the hall",
        "Ask at the office to find out how to join the choir",
        "Please help us reach our target for the library books, every penny counts",
        "Dear parents, the school will be closed on Monday for staff training",
        "My son practises his times tables on the laptop at home every night",
    ]);
}

#[test]
fn rules_and_model_each_show_their_part() {
    let text = "WINNER!! You have been selected to receive a £900 prize. To claim call 09061701461. T&Cs apply";
    let a = run(text);
    let rules = a.findings.iter().find(|f| f.label == Label::Spam && f.detector == Detector::Lexicon);
    let model = a.findings.iter().find(|f| f.label == Label::Spam && f.detector == Detector::Model);
    let rules = rules.expect("the cues find it");
    assert!(rules.evidence.contains("noisy-or"), "{}", rules.evidence);
    let model = model.expect("the model finds it");
    assert!(model.evidence.contains("model spam.bin") && model.evidence.contains("top n-grams"), "{}", model.evidence);
    assert!(text.is_char_boundary(rules.start) && text.is_char_boundary(rules.end));
}

#[test]
fn giveaways_romance_laptop_earnings_and_pirate_films() {
    spammy(&[
        "I'm giving away 50 gift cards to the first people who message me",
        "Hello dear, I am a widow looking for an honest partner, please add me",
        "My mum made £3,000 last month from her laptop, ask me how",
        "Watch full movie free HD streaming here",
    ]);
    not_spam(&[
        "I work from home on Fridays so I can do pick up",
        "We are giving away the old reading books, free to a good home",
        "Anyone interested in joining the PTA? Message me or the office",
        "Watch the nativity video on the parent portal",
    ]);
}

#[test]
fn calls_to_action_about_the_schools_own_things_are_not_spam() {
    not_spam(&[
        "Please subscribe to the school newsletter for updates on the fair.",
        "Click the link in the newsletter to book parents' evening.",
    ]);
    let own = "Please subscribe to the school newsletter for updates on the fair.";
    assert!(evidence(own).contains("the school's own"), "the explanation names why: {}", evidence(own));
    // The writer's own channel is self-promotion wherever the newsletter is named.
    spammy(&["Loved the school newsletter! Subscribe to my channel for daily gaming videos"]);
    // Calls to action with nothing of the school's stay spam.
    spammy(&["Please subscribe and click the link for free gift cards"]);
    // Bait for likes.
    spammy(&["Everyone who likes this comment gets a free iPhone, visit www.freephones-win.com"]);
}
