//! `addressing` (P2.8) and `personal_link` (P2.11) through the public API: who a text is aimed at,
//! and links or handles of personal accounts that are not the school's channels.

use std::sync::OnceLock;

use analyse::{Analysis, Context, Label, Settings, THRESHOLD, analyse};
use proptest::prelude::*;

fn ctx() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| {
        Context::new(Settings {
            official_accounts: vec![
                "@DarUlMadinah".into(),
                "https://www.facebook.com/DarUlMadinahSchool/".into(),
                "x.com/dum_school".into(),
                "darulmadinah.org.uk".into(),
            ],
            staff_personal_accounts: vec![
                "@mrs_k_teaches".into(),
                "https://www.facebook.com/sarah.khan.77".into(),
                "mrahmedblogs.blogspot.com".into(),
            ],
            ..Settings::default()
        })
        .unwrap()
    })
}

fn run(text: &str) -> Analysis {
    analyse(text, ctx())
}

/// `(kind, words, score)` of every finding of this label, counting or not.
fn all(text: &str, label: Label) -> Vec<(String, &str, f32)> {
    run(text)
        .findings
        .iter()
        .filter(|f| f.label == label)
        .map(|f| (f.kind.to_string(), &text[f.start..f.end], f.score))
        .collect()
}

/// `(kind, words)` of every counting finding of this label.
fn found(text: &str, label: Label) -> Vec<(String, &str)> {
    all(text, label).into_iter().filter(|(_, _, s)| *s >= THRESHOLD).map(|(k, w, _)| (k, w)).collect()
}

fn pair(kind: &str, words: &str) -> (String, String) {
    (kind.to_string(), words.to_string())
}

#[track_caller]
fn assert_found(text: &str, label: Label, expected: &[(&str, &str)]) {
    let got: Vec<(String, String)> = found(text, label).into_iter().map(|(k, w)| (k, w.to_string())).collect();
    let want: Vec<(String, String)> = expected.iter().map(|(k, w)| pair(k, w)).collect();
    assert_eq!(got, want, "{label} in {text:?}:\n{}", run(text).explain(text));
}

#[track_caller]
fn assert_none(text: &str, label: Label) {
    let a = run(text);
    assert!(a.findings.iter().all(|f| f.label != label), "no {label} expected in {text:?}:\n{}", a.explain(text));
}

// ------------------------------------------------------------------------------------ addressing

#[test]
fn mentions_are_addressing() {
    assert_found("@Sarah_K thanks for the lift", Label::Addressing, &[("mention", "@Sarah_K")]);
    assert_found("Thanks to @bakery.jo for the cakes!", Label::Addressing, &[("mention", "@bakery.jo")]);
    let f = run("@jo hi").findings.into_iter().find(|f| f.label == Label::Addressing).unwrap();
    assert_eq!((f.clause, f.kind.as_ref()), ("P2.8", "mention"));
    assert!(f.evidence.contains("'@jo'"), "{}", f.evidence);
}

#[test]
fn salutations_are_addressing() {
    assert_found("Dear Mrs Smith, thank you", Label::Addressing, &[("salutation", "Dear Mrs Smith")]);
    assert_found("Hi Sarah, are you coming?", Label::Addressing, &[("salutation", "Hi Sarah")]);
    assert_found("hi sarah, are you coming?", Label::Addressing, &[("salutation", "hi sarah")]);
    assert_found("Mr Jones, you said the trip was on Friday", Label::Addressing, &[("salutation", "Mr Jones")]);
    assert_found("Lovely day. Thank you Mrs O'Neill!", Label::Addressing, &[("salutation", "Thank you Mrs O'Neill")]);
    assert_found("Happy birthday Ahmed!", Label::Addressing, &[("salutation", "Happy birthday Ahmed")]);
    assert_found("Thanks Miss!", Label::Addressing, &[("salutation", "Thanks Miss")]);
}

#[test]
fn dear_is_stronger_than_hello() {
    let score = |text: &str| all(text, Label::Addressing)[0].2;
    assert!(score("Dear Sarah, …") > score("Hello Sarah, …"));
}

#[test]
fn greetings_to_everyone_address_no_one() {
    for text in [
        "Dear Parents and Carers",
        "Dear Sir/Madam, please find attached",
        "Hi all, reminder about the trip",
        "Hello everyone!",
        "Thank you for coming",
        "Thanks everyone!",
        "Thanks so much",
        "Well done Year 6!",
        "Well done Eagles class",
        "Good morning, hope you are well",
        "Thank God it's Friday",
        "HI GUYS SEE YOU THERE",
    ] {
        assert_none(text, Label::Addressing);
    }
}

#[test]
fn talking_about_someone_is_not_addressing_them() {
    for text in [
        "Mrs Smith said the trip is on Friday",
        "My dear friend came too",
        "She sent her thanks to the office",
        "The office said hi to everyone",
    ] {
        assert!(!run(text).has(Label::Addressing), "{text:?}:\n{}", run(text).explain(text));
    }
}

#[test]
fn an_at_that_means_at_is_no_mention() {
    for text in ["contact office@school.org.uk", "see you @ 3pm", "working @home today", "meet @3pm"] {
        assert_none(text, Label::Addressing);
        assert_none(text, Label::PersonalLink);
    }
}

#[test]
fn the_schools_own_handles_are_neither() {
    for text in ["Follow @DarUlMadinah for updates", "Follow @darulmadinah", "see @DUM_School"] {
        assert_none(text, Label::Addressing);
        assert_none(text, Label::PersonalLink);
    }
}

#[test]
fn retweet_credits_are_not_addressing() {
    assert_none("RT @jo: great day", Label::Addressing);
    assert_found("Art @jo was lovely", Label::Addressing, &[("mention", "@jo")]);
}

#[test]
fn addressing_sees_through_confusables() {
    // A Cyrillic "е" in "Dear" still greets.
    assert_found("Dеar Mrs Smith", Label::Addressing, &[("salutation", "Dеar Mrs Smith")]);
}

// --------------------------------------------------------------------------------- personal_link

#[test]
fn profile_links_are_personal_links() {
    assert_found("facebook.com/jo.smith.123", Label::PersonalLink, &[("profile_url", "facebook.com/jo.smith.123")]);
    assert_found(
        "see https://www.instagram.com/sarah_k/ for pics",
        Label::PersonalLink,
        &[("profile_url", "https://www.instagram.com/sarah_k/")],
    );
    assert_found("x.com/jo_s", Label::PersonalLink, &[("profile_url", "x.com/jo_s")]);
    assert_found("twitter.com/jo_s", Label::PersonalLink, &[("profile_url", "twitter.com/jo_s")]);
    assert_found("(tiktok.com/@jo.dances)", Label::PersonalLink, &[("profile_url", "tiktok.com/@jo.dances")]);
    assert_found("linkedin.com/in/jo-smith.", Label::PersonalLink, &[("profile_url", "linkedin.com/in/jo-smith")]);
    let f = run("x.com/jo").findings.into_iter().find(|f| f.label == Label::PersonalLink).unwrap();
    assert_eq!(f.clause, "P2.11");
}

#[test]
fn pages_that_are_no_ones_account_are_not_personal_links() {
    for text in ["facebook.com/groups/123456", "x.com/search?q=school", "linkedin.com/company/acme", "bbc.co.uk/news"] {
        assert_none(text, Label::PersonalLink);
    }
}

#[test]
fn the_schools_own_channels_are_fine_however_written() {
    for text in [
        "https://twitter.com/DUM_School/",
        "x.com/dum_school/status/123",
        "facebook.com/darulmadinahschool",
        "HTTP://WWW.FACEBOOK.COM/DarUlMadinahSchool",
        "newsletter at darulmadinah.org.uk/news",
    ] {
        assert_none(text, Label::PersonalLink);
    }
}

#[test]
fn staff_personal_accounts_score_highest() {
    let text = "pics on facebook.com/Sarah.Khan.77 and @Mrs_K_Teaches";
    let found = all(text, Label::PersonalLink);
    assert_eq!(
        found.iter().map(|(k, w, _)| (k.as_str(), *w)).collect::<Vec<_>>(),
        [("staff_account", "facebook.com/Sarah.Khan.77"), ("staff_account", "@Mrs_K_Teaches")]
    );
    let other = all("facebook.com/jo.smith", Label::PersonalLink)[0].2;
    assert!(found.iter().all(|(_, _, s)| *s > other), "{found:?} vs {other}");
    assert_found("follow mrs_k_teaches on insta", Label::PersonalLink, &[("staff_account", "mrs_k_teaches")]);
    assert_found("her page: @Sarah.Khan.77", Label::PersonalLink, &[("staff_account", "@Sarah.Khan.77")]);
    assert_found(
        "read mrahmedblogs.blogspot.com/post1",
        Label::PersonalLink,
        &[("staff_account", "mrahmedblogs.blogspot.com/post1")],
    );
}

#[test]
fn handles_offered_for_following_are_personal_links() {
    assert_found("my insta is jo_k_123", Label::PersonalLink, &[("handle", "my insta is jo_k_123")]);
    assert_found("follow me on tiktok @jo.dances!", Label::PersonalLink, &[("handle", "@jo.dances")]);
    // Offering one's own account is not speaking to anyone.
    assert_none("follow me on tiktok @jo.dances!", Label::Addressing);
}

#[test]
fn a_passing_mention_is_a_reply_not_a_personal_link() {
    assert_none("@Sarah_K thanks", Label::PersonalLink);
    assert_found("@Sarah_K thanks", Label::Addressing, &[("mention", "@Sarah_K")]);
}

#[test]
fn ordinary_text_has_no_links_or_addressing() {
    for text in [
        "Mr.Smith said e.g. the trip is at 10.30 and/or 11.00",
        "The school is closed on Monday.Please check the website",
        "Great assembly today about kindness",
    ] {
        assert_none(text, Label::PersonalLink);
        assert_none(text, Label::Addressing);
    }
}

#[test]
fn spans_stay_on_char_boundaries() {
    for text in ["«@jo»", "Dear Zoë, 🎉", "Ｈｉ Ｓａｒａｈ,", "see facebook.com/zoë.smith", "@ż_", "Dear Mrs Ñ"]
    {
        for f in run(text).findings {
            assert!(
                text.is_char_boundary(f.start) && text.is_char_boundary(f.end) && f.start < f.end,
                "{text:?}: {f:?}"
            );
        }
    }
}

/// Pieces shaped like what these rules look at: handles, links, greetings, titles, prices, around
/// letters from other scripts, emoji and invisible characters.
fn shaped() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,8}",
        "[ .,!?:;/@_'’-]{1,3}",
        Just("@".to_string()),
        Just("@Mrs_K_Teaches".to_string()),
        Just("facebook.com/".to_string()),
        Just("https://www.".to_string()),
        Just(".co.uk/".to_string()),
        Just("www.".to_string()),
        Just("tiktok.com/@".to_string()),
        Just("Dear Mrs ".to_string()),
        Just("Hi ".to_string()),
        Just("Thanks ".to_string()),
        Just("Mr ".to_string()),
        Just("my insta is ".to_string()),
        Just("£".to_string()),
        Just("€5".to_string()),
        Just("%".to_string()),
        Just("O'Neill".to_string()),
        Just("Zoë".to_string()),
        Just("Ｈｉ".to_string()),
        Just("\u{200B}".to_string()),
        Just("🎉".to_string()),
        Just("ё".to_string()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn link_and_addressing_spans_are_always_slicable(text in shaped()) {
        for f in run(&text).findings {
            prop_assert!(f.start < f.end && f.end <= text.len(), "{text:?}: {f:?}");
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{text:?}: {f:?}");
        }
    }
}
