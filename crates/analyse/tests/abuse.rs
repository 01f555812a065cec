//! The abuse detector through the public API: evasion, context, threats, hate with its target, the
//! model and its weights file.

use std::sync::OnceLock;

use analyse::model::{Doc, Model, ModelError, Options, fit};
use analyse::{Analysis, Context, Detector, Label, Settings, analyse};

fn ctx() -> &'static Context {
    static CTX: OnceLock<Context> = OnceLock::new();
    CTX.get_or_init(|| Context::new(Settings::default()).expect("the built-in lexicons and weights load"))
}

fn run(text: &str) -> Analysis {
    analyse(text, ctx())
}

fn abusive(text: &str) -> bool {
    run(text).has(Label::Abuse)
}

/// The abuse findings that count, as (kind, target, the words they point at).
fn found(text: &str) -> Vec<(String, Option<String>, String)> {
    run(text)
        .findings
        .into_iter()
        .filter(|f| f.label == Label::Abuse && f.counts())
        .map(|f| (f.kind.to_string(), f.target.map(|t| t.to_string()), text[f.start..f.end].to_string()))
        .collect()
}

fn has(text: &str, kind: &str) -> bool {
    run(text).has_kind(Label::Abuse, kind)
}

/// The evidence of every abuse finding, counting or not.
fn evidence(text: &str) -> String {
    run(text)
        .findings
        .iter()
        .filter(|f| f.label == Label::Abuse)
        .map(|f| f.evidence.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Assert that every text has an abuse finding of this kind, naming the first that has not and
/// the evidence there is.
fn found_as(kind: &str, texts: &[&str]) {
    for text in texts {
        assert!(has(text, kind), "{text:?}: {}", evidence(text));
    }
}

/// Assert that every text is abuse, naming the first that is not and its evidence.
fn flagged(texts: &[&str]) {
    for text in texts {
        assert!(abusive(text), "{text:?}: {}", evidence(text));
    }
}

/// Assert that no text is abuse, naming the first that is and its evidence.
fn passes(texts: &[&str]) {
    for text in texts {
        assert!(!abusive(text), "{text:?}: {}", evidence(text));
    }
}

#[test]
fn evasions_are_seen_through_and_spans_point_at_what_was_written() {
    let cases = [
        ("you absolute tw4t", "tw4t"),
        ("f.u.c.k off", "f.u.c.k"),
        ("F U C K OFF", "F U C K"),
        ("fuuuuuck off", "fuuuuuck"),
        ("what a c\u{200B}unt", "c\u{200B}unt"),
        ("you're a \u{441}unt", "\u{441}unt"),
        ("ｆｕｃｋ this", "ｆｕｃｋ"),
        ("\u{455}h\u{456}t school", "\u{455}h\u{456}t"),
        ("you are a c**t", "c**t"),
        ("f**k this", "f**k"),
        ("you b!tch", "b!tch"),
        // Masks read in a hashtag, beside an HTML entity, after a no-break space.
        ("#c##t &#128514;&#128514;", "c##t"),
        ("so\u{A0}f%%k it", "f%%k"),
        ("(f**k) #mondays", "f**k"),
        ("\u{192}uck off", "\u{192}uck"),
        ("what a dumba$$", "dumba$$"),
        ("you're a p.o.s", "p.o.s"),
        ("kiss my azz", "kiss my azz"),
        ("shut the f up", "shut the f up"),
    ];
    for (text, words) in cases {
        let f = found(text);
        assert!(f.iter().any(|(_, _, w)| w == words), "{text:?}: {f:?}");
    }
}

#[test]
fn mixed_case_and_aimed_insults_count() {
    assert!(has("YoU aRe An IdIoT", "insult"));
    assert!(has("you stupid cow", "insult"));
    assert!(has("shut up you muppet", "insult"));
    assert!(has("you're pathetic", "insult"));
    // Said to someone's face after a comma, at the end of a sentence.
    assert!(has("Nobody cares what you think, idiot.", "insult"));
    assert!(evidence("Thanks, idiot!").contains("a comma or nothing before"), "{}", evidence("Thanks, idiot!"));
    assert!(has("what an absolute tool", "insult"));
    assert!(has("your kid is a little brat", "insult"));
    // Said of a group addressed as one, it is hate of that (unnamed) group, as "people like you are vermin" is.
    assert!(has("you people make me sick", "hate"), "{}", evidence("you people make me sick"));
    assert!(!abusive("these prices make me sick"), "disgust at a thing: {}", evidence("these prices make me sick"));
    assert!(has("you freaking idiot", "insult"));
    assert!(has("your son is a thug", "insult"));
    assert!(has("you're a nasty piece of work", "insult"));
    assert!(has("u r a joke mate", "insult"));
    assert!(has("shut up cuck", "insult"));
    assert!(!abusive("he sniggered at the joke"), "{}", evidence("he sniggered at the joke"));
    // An insulting adjective is aimed by "what a" only when a person follows it.
    assert!(has("what an ugly child", "insult"));
    assert!(!abusive("what a stupid rule"), "{}", evidence("what a stupid rule"));
    passes(&["Can you tell us a joke?", "what a joke of a car park"]);
}

#[test]
fn an_insult_can_name_its_target_after_it() {
    for text in ["pathetic losers the lot of you", "idiots, all of you!"] {
        assert!(has(text, "insult"), "{text:?}: {}", evidence(text));
        assert!(evidence(text).contains("after it, ending the sentence"), "{}", evidence(text));
    }
    assert!(!abusive("losers all of you get a prize at the fun run"), "the sentence goes on");
}

#[test]
fn weak_insults_side_by_side_count_together() {
    for text in ["dumb clown", "muppet clown"] {
        assert!(has(text, "insult"), "{text:?}: {}", evidence(text));
        assert!(evidence(text).contains("beside another insult"), "{}", evidence(text));
    }
    let alone = "the loser gets a wooden spoon";
    assert!(!abusive(alone), "one weak insult alone: {}", evidence(alone));
    assert!(!abusive("the farm has a cow, a goat and a pig"), "{}", evidence("the farm has a cow, a goat and a pig"));
}

#[test]
fn calling_yourself_names_is_not_abuse() {
    for text in ["I fell over at the fun run, what an idiot I am", "I'm such a muppet, I forgot the forms"] {
        assert!(!abusive(text), "{text:?}: {}", evidence(text));
        assert!(evidence(text).contains("said of the writer"), "{}", evidence(text));
    }
    assert!(has("you're such an idiot", "insult"));
    // The writer's own, said fondly; other people's are still insulted.
    passes(&["my boys are pigs at dinner", "we are idiots, we forgot the cake"]);
    assert!(abusive("my neighbours are idiots"));
}

#[test]
fn mild_words_about_things_do_not_count() {
    passes(&[
        "the parking is a bit crap",
        "that was a stupid question, sorry",
        "damn, I forgot the forms",
        "Some idiot parked across the gate again",
        "Bring pens, glue, scissors, tool",
        "This app is a great tool for reading",
        "The geese on the field are savages, watch your sandwiches",
        "your stupid alarm went off again at 6",
        "is that your crap old car in the bus bay?",
    ]);
    // Said of the one spoken to, or of their people, it still counts.
    flagged(&[
        "your stupid, you know that",
        "your stupid son hit mine",
        "your so stupid",
        "shut your stupid ugly face",
    ]);
}

#[test]
fn threats_fixed_and_made_of_parts() {
    found_as(
        "threat",
        &[
            "I'll kill you",
            "I'm going to batter you when I see you",
            "ill stab u",
            "watch your back",
            "I know where you live",
            "we will burn the school down",
            "I will find you and hurt you",
            "I'll find where you live and batter you",
            "I will make your life hell",
            "someone should slap that teacher",
        ],
    );
    let f = found("I'm gonna batter you mate");
    assert!(f.iter().any(|(k, _, w)| k == "threat" && w == "I'm gonna batter you"), "{f:?}");
}

#[test]
fn things_that_sound_violent_but_are_not_threats() {
    for text in [
        "We'll beat you at netball next week",
        "I'll shoot you an email about the trip",
        "I would never hurt you",
        "The kids are going to kill it at sports day",
        "I'll pop in and shoot you a message after the meeting",
        "I will read the story and you can act it out",
        "Honestly the parking is a nightmare, someone will get hurt",
        "Watch your back when reversing out of the car park",
    ] {
        assert!(!has(text, "threat"), "{text:?}: {}", evidence(text));
    }
    assert!(evidence("I would never hurt you").contains("negated"));
}

#[test]
fn wishing_someone_dead_is_harassment() {
    found_as(
        "harassment",
        &["I hope your whole family dies", "I wish you were dead", "hoping he dies", "I hope you drop dead"],
    );
    assert!(evidence("I wish you were dead").contains("death wish pattern"), "{}", evidence("I wish you were dead"));
    passes(&[
        "I hope your phone battery dies before the end of the trip",
        "I hope you don't die of boredom on the coach",
        "I'm dead proud of you all",
        "I hope you're all dead tired after sports day",
        "I wish you had met him before he died",
        "I hope your mum's cancer treatment goes well",
    ]);
    assert!(evidence("I hope you don't die of boredom on the coach").contains("negated"));
}

#[test]
fn urging_self_harm_is_harassment() {
    assert!(has("kill yourself", "harassment"));
    assert!(has("just k y s", "harassment"));
    assert!(has("drop dead", "harassment"));
    assert!(has("go jump off a bridge", "harassment"));
    assert!(!abusive("You look drop dead gorgeous in that dress"));
}

#[test]
fn insults_aimed_at_whoever_did_it_or_whoever_reads() {
    found_as(
        "insult",
        &[
            "What kind of idiot parks like that outside a school",
            "imagine being this stupid",
            "Are you thick or something?",
            "Mrs Jones is an absolute witch",
            "the parents are idiots",
            "Liberals are all idiots",
            "He is the biggest hypocrite in politics",
            "Trump supporters are a cult of idiots",
            "You are so full of crap",
            "This article was written by morons for morons",
            "Get a life you nerd",
            "you absolute buffoon",
            "go f yourself",
        ],
    );
    passes(&[
        "what kind of animal is that",
        "what sort of stupid question is that",
        "imagine being that lucky",
        "The kids dressed up as witches and wizards for World Book Day",
        "The play was about a wicked witch",
        "Are you wearing a thick coat today?",
        "The prizes are a load of sweets",
        "Year 3 are a bunch of superstars",
        "The rules are just silly sometimes",
        "These dogs are so friendly",
        "We saw a snake and a leech on the nature walk",
        "The play was about a wicked witch and a stupid troll, so funny",
    ]);
}

#[test]
fn hate_names_its_target() {
    let cases = [
        ("muslims are scum", "religion"),
        ("All immigrants should be deported", "nationality"),
        ("filthy jews", "religion"),
        ("go back to your own country", "nationality"),
        ("gays are disgusting", "sexuality"),
        ("the teacher is a paki", "race"),
        ("you retard", "disability"),
        ("look at that tranny", "gender_identity"),
        ("I hate muslims", "religion"),
        ("jews control the media", "religion"),
        ("black people are criminals", "race"),
        ("women are too stupid to lead", "gender"),
        ("gay people are disgusting", "sexuality"),
        ("jews control everything", "religion"),
        ("that's so gay", "sexuality"),
        ("sandnigger go home", "race"),
        ("shirtlifters everywhere", "sexuality"),
        ("muslims are invading europe", "religion"),
        ("immigrants are stealing our jobs", "nationality"),
        ("black people are naturally violent", "race"),
        ("trans women are men in dresses", "gender_identity"),
        ("gay men are perverts", "sexuality"),
    ];
    for (text, target) in cases {
        let f = found(text);
        assert!(f.iter().any(|(k, t, _)| k == "hate" && t.as_deref() == Some(target)), "{text:?}: {f:?}");
    }
}

#[test]
fn threats_by_a_group_by_someone_unnamed_and_by_knowing_where_you_are() {
    found_as(
        "threat",
        &[
            "we are going to smash your windows",
            "one day someone will hurt you",
            "I know what car you drive",
            "I'm coming to the school tomorrow and someone is going to get hurt",
            "I will make you pay",
        ],
    );
    for text in
        ["Someone will collect the forms on Monday", "We are going to the zoo on Friday", "Watch yourself on the ice"]
    {
        assert!(!abusive(text), "{text:?}: {}", evidence(text));
    }
}

#[test]
fn turning_a_group_away_is_hate_and_turning_things_away_is_not() {
    for (text, target) in [
        ("no blacks allowed", "race"),
        ("no muslims welcome here", "religion"),
        ("no gay people allowed at this school", "sexuality"),
        ("gypsies are not welcome in this town", "race"),
    ] {
        let f = found(text);
        assert!(f.iter().any(|(k, t, _)| k == "hate" && t.as_deref() == Some(target)), "{text:?}: {f:?}");
    }
    passes(&[
        "No phones allowed in the classroom please",
        "No dogs allowed on the school grounds",
        "No Muslim families were affected by the change of date",
        "You are very welcome, thank you for your help",
        "No Polish lessons this week, Mrs Nowak is away",
    ]);
}

#[test]
fn violence_someone_is_to_suffer_is_a_threat() {
    found_as(
        "threat",
        &[
            "you'll get battered",
            "you're getting your head kicked in",
            "your lad needs a good slap",
            "she deserves a punch in the face",
            "keep it up and you'll get decked",
            "someone should give her a good hiding",
            // The one to suffer is any person before the verb, or a name, or the one given to.
            "your husband deserves a good kicking",
            "Jake needs a good slap",
            "somebody needs to give that caretaker a slap",
        ],
    );
    let read = evidence("he needs a good kicking");
    assert!(read.contains("sufferer \"he\" + \"needs\" + harm \"kicking\""), "{read}");
    passes(&[
        // A sense of the word, a harm of a noun that another noun follows, a compound, a warning.
        "you'll get battered fish at the chippy on friday",
        "you need a hiding place for the hide and seek game",
        "he's getting a beating at chess from his sister",
        "you'll get knocked out of the cup if you don't train",
        "you'll be hiding eggs for the easter hunt",
        "you're gonna get hurt on that wall, come down",
        "she deserves a medal for organising the fair",
        // The writer, or a thing, is not threatened.
        "I need a good slap to wake up on Mondays",
        "It needs a good kicking, the ball is flat",
        "I'll give you a slap on the wrist for that lol",
    ]);
}

#[test]
fn shutting_someone_out_is_harassment() {
    found_as(
        "harassment",
        &[
            "nobody likes you",
            "no one wants to be friends with your weird kid",
            "the whole school laughs at your daughter",
            "no one would miss you",
            "we all hate her.",
            "no1 likes u",
            "nobody even invited u",
        ],
    );
    let read = evidence("everyone laughs at your son");
    assert!(read.contains("shunning pattern: \"everyone laughs at\" + person \"your\""), "{read}");
    passes(&[
        "No one wants you to miss out on the trip!",
        "nobody likes her cooking",
        "Brussels sprouts? nobody likes them",
        "everyone laughs at your jokes, Mr Smith",
        "nobody likes Mondays",
        "nobody invited us to the meeting, can the office check?",
    ]);
}

#[test]
fn pejorative_adjectives_between_an_address_and_an_insult() {
    flagged(&["you filthy pig", "what a pompous idiot", "your son is a spoilt brat", "you snivelling coward"]);
    // Faulting adjectives said to someone, or of a person after other adjectives.
    flagged(&["you're so smug", "what a nasty little man", "what a stupid little boy"]);
    passes(&[
        "the filthy pig in the mud made the children laugh",
        "the greedy goat ate the map at the farm",
        "horrible weather for sports day",
        "the wolf in the story was nasty to the pigs",
        "what a lovely little man the lollipop man is",
    ]);
}

#[test]
fn threats_of_what_is_coming() {
    found_as(
        "threat",
        &[
            "keep your mouth shut or else",
            "you won't see it coming",
            "we will hunt you down",
            "one more word and I'll knock your teeth out",
            "I swear I'll put you in hospital",
            "keep talking and see what happens",
            "I'll slash your tyres tonight",
            "I will end you",
            "next time I see you you're getting a slap",
            "say that to my face and see what happens",
        ],
    );
    passes(&[
        "Keep your coat on or else you'll be cold",
        "Nobody saw the snow coming this year",
        "Try the new app and see what happens",
        "At the end you get a certificate",
        "I'll fix the bike tyres tonight",
        "Mrs Khan will teach you a lesson on fractions tomorrow",
    ]);
}

#[test]
fn insults_and_wishes_aimed_at_a_whole_group_are_hate() {
    for (text, target) in [
        ("women are so stupid", "gender"),
        ("All immigrants are liars", "nationality"),
        ("I would love to see all Muslims dead", "religion"),
        ("You gay people make me sick", "sexuality"),
        ("disabled people belong in a zoo", "disability"),
        ("black people lives don't matter", "race"),
        ("I can't stand Jews", "religion"),
        ("Sikhs should be wiped out", "religion"),
        ("Typical refugees, always lying", "nationality"),
        ("I hate women", "gender"),
        ("Why are Muslims so useless?", "religion"),
    ] {
        let f = found(text);
        assert!(f.iter().any(|(k, t, _)| k == "hate" && t.as_deref() == Some(target)), "{text:?}: {f:?}");
    }
    // Denied of the group, the insult is denied too; said of a thing, it is no one's hate.
    passes(&[
        "No women are worthless, don't listen to them.",
        "Stop saying refugees are idiots",
        "I can't stand people who insult Jews",
        "These prices are the worst",
        "Typical British weather for sports day",
        "Why are the Year 5 trips so expensive this year?",
        "I'd be happy if all the children got a certificate",
    ]);
}

#[test]
fn a_group_left_unnamed_is_still_a_target_of_hate() {
    for text in ["those people are animals", "people like you are vermin", "these people should be deported"] {
        let f = found(text);
        assert!(f.iter().any(|(k, t, _)| k == "hate" && t.as_deref() == Some("unnamed")), "{text:?}: {f:?}");
    }
    passes(&["those people are amazing", "these people are not animals", "I met these people at the fair"]);
}

#[test]
fn naming_an_identity_is_never_abuse() {
    passes(&[
        "I'm a proud Muslim woman and I love this school",
        "Our gay teacher Mr Jones is the best",
        "Black History Month assembly was wonderful",
        "My son is autistic and the support has been brilliant",
        "The Jewish community centre is hosting a fair",
        "Refugees are welcome here",
        "The immigrants who came to Britain after the war helped rebuild it",
        "I hate English homework, it's so boring",
        "Dirty white socks are not part of the uniform",
    ]);
}

#[test]
fn counter_speech_quotation_and_reports_are_not_abuse_and_say_why() {
    let cases = [
        ("saying 'muslims are scum' is disgusting", "counter-speech"),
        ("calling someone a retard is not OK", "counter-speech"),
        ("he called me a paki, I reported it", "counter-speech"),
        ("She said I'm a slag", "reported speech"),
        ("Someone wrote \"gays are disgusting\" on the wall and it is not acceptable", "counter-speech"),
    ];
    for (text, why) in cases {
        assert!(!abusive(text), "{text:?}: {}", evidence(text));
        assert!(evidence(text).contains(why), "{text:?}: {}", evidence(text));
    }
    // The writer's own words are not a report, however the writer puts it.
    for text in ["I said you're a twat", "I'd say you're a twat", "I was about to say shut up you stupid cow"] {
        assert!(abusive(text), "{text:?}: {}", evidence(text));
    }
    let heard = "I heard he said I'm a slag";
    assert!(!abusive(heard), "{}", evidence(heard));
    // A "don't" inside the quotation is part of what was quoted, not the writer condemning it.
    for text in ["\"@someone: these newly gay bitches don't know how it works\"", "'stop crying you little bitch'"] {
        assert!(abusive(text), "{text:?}: {}", evidence(text));
    }
    let condemned = "\"don't trust them, muslims are scum\" is what he wrote. Don't share it.";
    assert!(!abusive(condemned), "{}", evidence(condemned));
    assert!(evidence(condemned).contains("counter-speech"), "{}", evidence(condemned));
}

#[test]
fn negation_of_hate_and_of_insults() {
    passes(&[
        "Muslims are not scum",
        "not all muslims are terrorists",
        "You're not an idiot, don't worry",
        "Black people are not criminals",
    ]);
    // Only denying that someone is the thing is a negation; the word used as abuse still counts.
    flagged(&["don't trust these hoes", "no bitches allowed", "stop being a twat"]);
    // A negation that is part of the predicate says the hate, it does not deny it.
    for (text, target) in [
        ("immigrants don't belong here", "nationality"),
        ("muslims do not belong in this country", "religion"),
        ("disabled kids shouldn't be in normal schools", "disability"),
        ("gays should not be allowed to teach", "sexuality"),
    ] {
        let f = found(text);
        assert!(f.iter().any(|(k, t, _)| k == "hate" && t.as_deref() == Some(target)), "{text:?}: {f:?}");
    }
    assert!(!abusive("kids shouldn't be allowed phones in class"));
}

#[test]
fn innocent_homonyms_pass() {
    passes(&[
        "Went to Scunthorpe and Penistone, then Cockermouth and Essex at the weekend",
        "Brains faggots and peas for tea tonight, lovely",
        "We had faggots in gravy with mash",
        "We saw blue tits and a great tit at the bird feeder",
        "The Beaver Scouts colony meets on Tuesday",
        "Our dog is a pedigree bitch and she had a litter of puppies",
        "Bought a new hoe for the allotment, great for weeding",
        "He came home with a bloody nose after football",
        "The cock crowed at dawn on the farm visit",
        "Jam tarts and bakewell tart at the bake sale",
        "Dick Whittington is our panto this year",
        "Year 6 are reading Moby Dick",
        "Ho ho ho! Santa is visiting the school fair",
        "Homo sapiens topic in Year 5 science",
        "We walked along Offa's Dyke on the school trip",
        "He cut his knee and had a nasty gash",
        "Coloured pencils are needed for the art project",
        "Nip out for a packet of fags",
        "The summa cum laude graduates",
        "Our class guinea pig is called Biscuit",
        "the shag carpet in the reading corner",
        "a cormorant and a shag on the rocks",
        "Peppa Pig is coming to the theatre",
        "The pig farm visit was great",
        "Pigs in blankets with the Christmas lunch",
        "the kids were gung-ho about the sponsored walk",
        "Hi-ho, hi-ho, it's off to work we go",
        "Square dancing and a hoe down at the barn",
        "the tranny on my car went, so I'll be late for pick-up",
    ]);
    assert!(evidence("Brains faggots and peas for tea tonight").contains("innocent sense"));
    // The same words used as abuse still count.
    assert!(abusive("you faggot"));
    assert!(abusive("shut up you stupid bitch"));
    assert!(abusive("You Dick"));
    assert!(abusive("what a disgusting pig"));
    assert!(abusive("you pigs"));
    assert!(abusive("you're a tranny"));
    assert!(abusive("she's a ho"));
}

#[test]
fn sexual_and_inflammatory() {
    assert!(has("send nudes", "sexual"));
    assert!(has("this school is full of groomers", "inflammatory"));
}

#[test]
fn the_model_adds_its_own_finding_with_its_n_grams() {
    let a = run("you are such a worthless disgusting little shit");
    let m = a.findings.iter().find(|f| f.detector == Detector::Model && f.label == Label::Abuse);
    let m = m.expect("the model scores this text");
    assert!(m.evidence.contains("model abuse.bin") && m.evidence.contains("top n-grams"), "{}", m.evidence);
    assert!(a.findings.iter().any(|f| f.detector == Detector::Lexicon && f.label == Label::Abuse));
}

#[test]
fn the_model_stands_down_when_the_rules_find_reported_speech() {
    let a = run("She said I'm a slag and a bitch");
    assert!(!a.has(Label::Abuse), "{}", a.explain("She said I'm a slag and a bitch"));
    for f in a.findings.iter().filter(|f| f.detector == Detector::Model) {
        assert!(f.evidence.contains("suppressed by the rules"), "{}", f.evidence);
    }
}

#[test]
fn committed_weights_load_and_round_trip() {
    for bytes in [&include_bytes!("../model/abuse.bin")[..], &include_bytes!("../model/spam.bin")[..]] {
        let model = Model::from_bytes(bytes).expect("committed weights are valid");
        assert_eq!(model.to_bytes(), bytes);
        assert!(model.bits() >= 18, "2^18 buckets at least");
    }
}

#[test]
fn corrupt_weights_are_an_error_not_a_panic() {
    let good = include_bytes!("../model/abuse.bin");
    let mut flipped = good.to_vec();
    flipped[5000] ^= 0x40;
    assert_eq!(Model::from_bytes(&flipped), Err(ModelError::Checksum));
    let short = Model::from_bytes(&good[..good.len() - 1]);
    assert!(matches!(short, Err(ModelError::Length { .. })), "{short:?}");
    assert!(short.unwrap_err().to_string().contains("bytes"));
    assert_eq!(Model::from_bytes(b"GHLR"), Err(ModelError::Truncated(4)));
    assert_eq!(Model::from_bytes(&[0u8; 100]), Err(ModelError::NotAModel));
}

#[test]
fn training_is_deterministic_and_learns() {
    let texts = ["you are vile", "have a lovely day", "vile vile person", "lovely weather today"];
    let samples: Vec<(Vec<u64>, bool)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let folded = analyse::fold::fold(t, analyse::fold::Runs::KeepDouble);
            let mut hashes = Vec::new();
            let tokens = analyse::model::features::tokens(t, &folded);
            let doc = Doc { text: t, folded: &folded, tokens: &tokens, masks: &[] };
            analyse::model::features::for_each(&doc, |f| hashes.push(f.hash));
            (hashes, i % 2 == 0)
        })
        .collect();
    let opts = Options { bits: 10, l2: 1e-4, iterations: 100, balanced: true, threshold: 0.5 };
    let a = fit(&samples, &opts);
    assert_eq!(a.to_bytes(), fit(&samples, &opts).to_bytes());
    let text = "so vile";
    let folded = analyse::fold::fold(text, analyse::fold::Runs::KeepDouble);
    let tokens = analyse::model::features::tokens(text, &folded);
    let doc = Doc { text, folded: &folded, tokens: &tokens, masks: &[] };
    assert!(a.probability(&doc) > 0.5);
    let top = a.explain(&doc, 3);
    assert_eq!(top.first().map(|c| c.ngram.as_str()), Some("vile"), "{top:?}");
    assert_eq!(&text[top[0].start..top[0].end], "vile");
}

/// Spans of the abuse detector on any text are checked by its unit tests, which run it alone.
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_load_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = Model::from_bytes(&bytes);
        }

    }
}

#[test]
fn insults_through_intensifiers_but_not_across_sentences() {
    found_as("insult", &["you are too stupid to understand", "Are you really this thick?", "you're just so dumb"]);
    passes(&[
        "Thank you. Thick fog this morning made the school run slow.",
        "Thank you. Stupid printer broke again",
        "you are too kind, thank you",
    ]);
}

#[test]
fn death_wishes_by_choking_drowning_and_accidents() {
    found_as(
        "harassment",
        &[
            "I hope you choke on it",
            "I wish you would drown",
            "I hope you get hit by a bus",
            "hope your family gets cancer",
            "nobody would miss you",
        ],
    );
    passes(&[
        "I hope you don't choke on the big day",
        "I bet you choke up at the leavers' assembly",
        "I hope they don't run over time at sports day",
        "hope nobody gets hit by the ball",
        "hope you get the bus on time tomorrow",
    ]);
}

#[test]
fn hate_through_a_pronoun_one_member_or_violence_to_a_group() {
    for (text, target) in [
        ("I've met a lot of Muslims and they are all disgusting.", "religion"),
        ("We should round up all immigrants and get rid of them.", "nationality"),
        ("Never trust a woman.", "gender"),
        ("I hate every Muslim I meet", "religion"),
        ("kill every immigrant in this town", "nationality"),
        ("Why do gay people always have to be so pathetic?", "sexuality"),
        ("Honestly, black people make me want to throw up.", "race"),
    ] {
        let f = found(text);
        assert!(f.iter().any(|(k, t, _)| k == "hate" && t.as_deref() == Some(target)), "{text:?}: {f:?}");
    }
    assert!(evidence("Women are fine but they are all liars").contains("as \"they\""));
    passes(&[
        "The Muslim families brought food for Eid and they were all so generous.",
        "We beat the Welsh team in the rugby tournament!",
        "The girls' team played the boys and they were brilliant.",
        "Please round up all the forms and hand them in by Friday.",
        "A gay couple adopted two children from our class and they are a lovely family.",
        "Some people say immigrants are lazy, but they work harder than anyone I know.",
        "Never trust an English teacher with your grammar, they'll correct it!",
        "If you think women are disgusting, you need to take a hard look at yourself.",
    ]);
    // Supposing a view answers a view of a group; an insult of one's own stays one.
    assert!(abusive("If you think you can be a bitch, I can be a bigger one"));
}

#[test]
fn scapegoating_sending_back_and_wanting_a_group_gone() {
    found_as(
        "hate",
        &[
            "Muslims are the problem",
            "It's time to deal with immigrants once and for all.",
            "All refugees should be sent back where they came from.",
            "Get the Jews out of our schools now.",
            "There is nothing worse than a lesbian.",
        ],
    );
    for text in
        ["Travellers? Disgusting, the lot of them.", "Hope all the refugees in this town get what's coming to them."]
    {
        assert!(abusive(text), "{text:?}: {}", evidence(text));
    }
    passes(&[
        "The problem is parents parking on the zigzags",
        "How do we deal with children who bite?",
        "Please keep dogs out of our playground.",
        "The refugees were sent back their documents by the council.",
        "There is nothing worse than a wet sports day.",
        "The cakes at the bake sale? Delicious, the lot of them.",
    ]);
}

#[test]
fn hostility_without_a_slur() {
    flagged(&[
        "everyone at that school hates you, just quit",
        "what a brain dead comment",
        "go back under the bridge you troll",
        "shut the hell up",
        "your son is a fat lump",
        "you're an absolute disgrace of a human being",
    ]);
    passes(&[
        "I don't hate you, I was just cross",
        "I'd hate you to miss the trip",
        "The troll in the play was brilliant",
        "the head is a brave leader",
    ]);
}

#[test]
fn sent_off_or_answered_after_a_comma_a_weak_insult_is_aimed() {
    found_as(
        "insult",
        &[
            "go away loser",
            "jog on clown",
            "you're not welcome here, weirdo",
            "nobody asked you, freak",
            "go away troll",
            "shut up nerd",
            "get a grip idiot",
            "stfu idiot",
            "@USER this guy is a certified idiot",
        ],
    );
    passes(&[
        "go away for half term and enjoy the rest",
        "go away snow",
        "shut up shop early today due to the snow",
        "what a prize winner our Amira is",
        "the clown at the fair was hilarious",
        "thank you for bringing pens, glue, tool kits and sheep, goats, pig masks",
        "you can be anything you like, even a clown",
    ]);
}

#[test]
fn bullying_without_a_word_of_abuse_is_harassment() {
    found_as(
        "harassment",
        &[
            "why are you even alive",
            "you should just disappear",
            "go and cry to your mummy",
            "imagine having no friends lmao",
            "go cry abt it",
            "you're adopted that's why your real parents didn't want you",
            "I bet you cut yourself for attention",
            "if I was you I'd kill myself",
            "your kids must be so embarrassed to have you as a parent",
        ],
    );
    found_as("threat", &["I will find out where you live", "you'd better watch your step"]);
    passes(&[
        "why are you even here so early?",
        "the magician made the rabbit disappear",
        "we will miss you, Mrs Ahmed",
        "he cried for his mummy on the first day and now he loves it",
    ]);
}

#[test]
fn what_is_said_of_a_group_through_adjectives_questions_and_modals() {
    found_as(
        "hate",
        &[
            "Christians are brainwashed idiots",
            "Aren't all immigrants just criminals?",
            "Why are gay people so disgusting?",
            "Gypsies are dirty",
            "Gay people should never be allowed near children",
            "Old people should just hurry up and die",
        ],
    );
    passes(&[
        "the white shirts are dirty after PE",
        "put the dirty white socks in the wash",
        "aren't all the children brilliant?",
        "Old people should just come along to the coffee morning",
        "\"Muslims are terrorists\" is a lie spread by bigots",
        "'women are stupid' is a myth and a stereotype",
    ]);
}

#[test]
fn stereotypes_conspiracies_and_attacks_on_places_of_worship_are_hate() {
    found_as(
        "hate",
        &[
            "immigrants steal our jobs",
            "refugees bring crime and disease",
            "jews spread disease",
            "white people are being replaced in their own countries",
            "islam is a religion of violence and hate",
            "asians can't drive",
            "the synagogue should be burned down",
            "burn down the mosque",
            "jewish money is behind all the wars",
            "mixing races is destroying our people",
        ],
    );
    passes(&[
        "muslim families bring food to share at the iftar evening",
        "jewish children eat kosher lunches provided by the kitchen",
        "polish parents take turns running the coffee morning",
        "the black boards in year 3 are being replaced over the summer",
        "islam is a religion of peace, as our RE lessons teach",
        "we will blow up balloons for the jewish community party",
        "my dad can't drive so we walk to school",
        "mosquitoes spread disease, we learned in science",
    ]);
}

#[test]
fn put_downs_wishes_of_ruin_and_smears_without_a_slur() {
    found_as(
        "insult",
        &[
            "stop being such an idiot",
            "don't be a prat",
            "Your opinion is worthless and so are you",
            "you must be mentally ill to think that",
            "Nobody with a brain cell would write something this stupid",
        ],
    );
    found_as(
        "harassment",
        &[
            "do us all a favour and shut up",
            "I hope you lose your job over this",
            "what kind of mother lets her kid out dressed like that",
        ],
    );
    found_as("sexual", &["everyone knows she slept her way to the top"]);
    found_as("threat", &["take him out back and shoot him"]);
    passes(&[
        "don't be a stranger, come to the coffee morning",
        "stop being so hard on yourself, you did brilliantly",
        "your work is brilliant and so are you",
        "I hope you get the job, good luck!",
        "do us all a favour and bring cakes on Friday",
        "what kind of mother and toddler groups run in the area?",
        "he slept with the light on after the spooky story",
    ]);
}

#[test]
fn hate_in_symbols_codes_and_set_phrases() {
    found_as(
        "hate",
        &[
            "(((they))) are behind this",
            "13/50 look it up",
            "proud to be 1488",
            "ching chong ching chong",
            "ooga booga go back to the trees",
            "I'm not racist but I wouldn't let my daughter marry one",
            "they should learn to speak english or leave",
            "a woman's place is in the home",
        ],
    );
    let echo = "(((they))) are behind this";
    assert!(evidence(echo).contains("symbol \"(((they)))\""), "{}", evidence(echo));
    assert!(found(echo).iter().any(|(_, target, _)| target.as_deref() == Some("religion")), "{}", evidence(echo));
    found_as("insult", &["real men don't cry, you sissy"]);
    passes(&[
        "Hungerford office: 01488 682000",
        "we sold 1488 raffle tickets this year",
        "I (really (really)) liked it",
        "the chinese new year dragon dance was brilliant",
        "the monkeys at the zoo were eating bananas",
        "the pupils learn to speak spanish in year 5",
        "Saying (((name))) is an antisemitic symbol and we have reported it",
    ]);
}

#[test]
fn threats_against_the_school_and_leering_at_staff() {
    found_as(
        "threat",
        &[
            "I'm going to bring a gun to school tomorrow",
            "there's a bomb in the school, get out",
            "don't come in on monday if you know what's good for you",
            "I'll be waiting for you after school",
            "somebody should teach that boy a lesson",
        ],
    );
    found_as("sexual", &["show us your tits", "she's got a nice arse for a teacher"]);
    passes(&[
        "I'm going to bring a cake to school tomorrow",
        "don't come in on monday, it's an inset day",
        "mum will be waiting for you after school",
        "the bath bomb in the school shop smells lovely",
        "show us your best costumes for world book day",
        "she's got a nice way with the children",
    ]);
}

#[test]
fn a_strangers_approach_with_a_private_channel_is_grooming() {
    found_as(
        "harassment",
        &[
            "hey sweetie, how old are you? dm me",
            "you're so pretty for a 12 year old, message me",
            "what school do you go to? add me on snap",
            "send me a pic of you in your uniform",
        ],
    );
    assert!(evidence("how old r u? pm me").contains("grooming pattern"), "{}", evidence("how old r u? pm me"));
    passes(&[
        "How old are you turning, Amira? Happy birthday!",
        "dm me for raffle tickets",
        "What school do you go to? Ours has a great choir",
        "Please send me a photo of the uniform price list",
    ]);
}

#[test]
fn threats_and_put_downs_heard_on_a_schools_page() {
    found_as(
        "threat",
        &[
            "I will find you and beat the crap out of you",
            "Someone needs to teach that head a lesson she won't forget",
            "If he gets detention again I will come in and smash the place up",
        ],
    );
    found_as(
        "insult",
        &["This admin is a jerk", "The governors are a bunch of crooks", "get a brain", "You need your head examined"],
    );
    passes(&[
        "Watch your back when reversing out of the car park, it's busy",
        "The head taught the Year 6s a lesson on kindness they won't forget",
        "The admin team is brilliant",
        "The police caught the crooks who stole the minibus",
    ]);
}

#[test]
fn extremist_slogans_are_inflammatory_and_teaching_history_is_not() {
    found_as(
        "inflammatory",
        &["Heil Hitler", "white power!", "race war now", "the holocaust never happened", "Blood and soil"],
    );
    found_as("inflammatory", &["Allahu akbar, death to the infidels", "join the mujahideen", "Tarrant is a hero"]);
    passes(&[
        "Year 6 learned about the Holocaust and why it must never happen again",
        "Our Remembrance assembly honoured those who fought Hitler",
        "Allahu akbar, what a beautiful Eid prayer this morning",
        "The white team won the tug of war, what power!",
        "The soil in the school garden is rich after the rain",
        "The history of the mujahideen in Afghanistan is on the GCSE syllabus",
    ]);
}

#[test]
fn emoji_and_hashtags_of_abuse() {
    flagged(&["\u{1F595}", "#stopislam", "#BanIslam now", "\u{1F412}\u{1F412} go back to the jungle"]);
    // The emoji is read as its word, and the finding points at the emoji as written.
    let f = found("you \u{1F921}");
    assert!(f.iter().any(|(k, _, w)| k == "insult" && w == "\u{1F921}"), "{f:?}");
    passes(&[
        "visited the farm today \u{1F437}\u{1F404}",
        "cheeky monkeys \u{1F412}",
        "we went back to the jungle gym after lunch",
        "Year 1 loved the \u{1F40D} at the zoo",
    ]);
}

#[test]
fn tropes_masked_insults_and_the_only_good_one() {
    assert!(abusive("Pakistanis are sc*m."), "{}", evidence("Pakistanis are sc*m."));
    found_as(
        "hate",
        &[
            "Gypsies have no place in a civilised country.",
            "Keep trans women away from our kids.",
            "The only good Muslim is a dead one.",
        ],
    );
    // A masked word takes a strong reading where it has one.
    let read = evidence("f**k off");
    assert!(read.contains("reads as \"fuck\"") && !read.contains("feck"), "{read}");
    passes(&[
        "Racism has no place in our school",
        "Disabled people have no place to park since the bays went",
        "Please keep phones away from our kids at bedtime",
        "Muslim families near my kids' school were lovely",
        "the only good thing about the rain is the rainbow",
        "The only good Polish shop in town closed",
        "rated a 5* hotel, and 4*5=20",
    ]);
}

#[test]
fn insults_in_comparisons_and_british_put_downs() {
    flagged(&[
        "Only an idiot would believe this rubbish.",
        "Your comment is as stupid as you are.",
        "You can't fix stupid.",
        "Shut your fat mouth.",
        "You absolute weapon.",
        "you animals",
        "stop being such a crybaby",
        "what an absolute melt",
        "get a life you saddo",
        "you're a laughing stock",
        "you sound like a complete tool",
        "you have no brain cells",
        "the new teacher is a spineless wimp",
        "she's nothing but a gold digger",
        "you slimy toad",
    ]);
    passes(&[
        "the snow will melt by lunchtime",
        "check the dipstick before a long drive",
        "we found worms and a toad in the garden for science week",
        "the children learn to read with phonics",
        "you'll regret missing the fair, it was great",
        "Only an hour until the fair opens!",
        "The head is as excited as the children about the trip.",
        "The staff are dressing up as witches for Halloween.",
        "We saw so many animals at the farm",
        "i am such a crybaby at school plays",
        "The teacher is a fool for Christmas jumpers, she has ten!",
    ]);
}

#[test]
fn stereotypes_bans_and_a_pronoun_after_a_clause() {
    found_as(
        "hate",
        &[
            "Roma all smell.",
            "Ban Sikhs from our schools.",
            "I would never hire a Muslim, they're all lazy.",
            "Deport every last one of the Jews.",
            "Would you let your child be taught by Jews? I wouldn't, they're perverts.",
            "the africans bring nothing but crime",
            "we need to stop letting these foreigners in",
            "women are too emotional to lead",
            "they should all go back to their own country",
            "the eastern europeans bring nothing but trouble",
            "Russians are scum",
            "illegals are invading our country #BuildTheWall",
            "rapefugees not welcome",
            "islam is a death cult",
        ],
    );
    passes(&[
        "the polish shop brings nothing but joy to the street",
        "the exchange students go back to their own country in July",
        "stop letting the kids in early, the gate opens at 8:40",
        "my girls are too emotional after a late night",
        "the Germans are brilliant at football",
        "the children need to be sent home if they have a temperature",
        "we played space invaders at the fair",
        "The Sikh temple smells lovely, the children enjoyed the visit.",
        "Ban phones from our schools, I say!",
        "Immigrants are not lazy, they work incredibly hard.",
        "The Muslim families I know are anything but lazy.",
    ]);
}

#[test]
fn insults_of_whoever_wrote_it_and_more_british_ones() {
    flagged(&[
        "whoever wrote this post is braindead",
        "what an absolute plank",
        "go away you smelly tramp",
        "she's a gobby cow and everyone knows it",
        "you are beyond stupid",
        "you clearly have the IQ of a potato",
    ]);
    passes(&[
        "Year 3 walked the plank on pirate day!",
        "There are feral cats living behind the school kitchen.",
        "Whoever wrote the nativity script did a brilliant job.",
        "Lady and the Tramp is the film for movie night.",
        // Reported, not said of whoever reported it.
        "My son wrote that his friend is a moron, and I've had words",
    ]);
}

#[test]
fn violence_wished_on_someone_and_playground_put_downs() {
    found_as("harassment", &["I hope someone punches you in the face", "I hope somebody kills you"]);
    assert!(evidence("I hope somebody kills you").contains("violence wished pattern"));
    assert!(has("you're so gay, nobody wants to sit next to you", "hate"));
    flagged(&["suck it loser", "Get your facts right before you open your big mouth"]);
    passes(&[
        "I hope they beat you at rounders",
        "I hope nobody hurts you",
        "I hope the jab doesn't hurt you",
        "suck it up, it's only a cold",
        "suck it and see",
    ]);
}

#[test]
fn insults_said_of_staff_and_parents_but_not_their_parts_in_a_play() {
    flagged(&[
        "That mum is a total psycho.",
        "The governors are a bunch of spineless cowards.",
        "Mr Hughes is useless.",
        "Stupid woman can't even organise a bake sale.",
        "She's a two-faced cow.",
        "Don't come near my son again or you'll be sorry.",
        "These teachers are thick as mince.",
        "this head teacher is a complete and utter joke",
        "the woman in the office is a rude old bag",
    ]);
    assert!(evidence("Mr Hughes is useless.").contains("said of \"hughes\""), "{}", evidence("Mr Hughes is useless."));
    passes(&[
        "Mrs Smith is a witch in the school play this year!",
        "The head was a pig in the panto, so funny.",
        "The parents were animals... animal costumes for World Book Day!",
        "The dads are clowns at the fun day, face paint and all.",
        "The head is thick with cold this week so assembly is cancelled.",
        "The dinner ladies are angels.",
        "Thank you, and the selfish giant in the play was brilliant",
        "you and the stupid weather, what a week",
    ]);
}

#[test]
fn sexual_remarks_about_children_and_a_strangers_secrecy() {
    for (text, kind) in [
        ("the girl on the left looks hot in her uniform", "sexual"),
        ("she's well fit for her age", "sexual"),
        ("send me pics of your daughter", "sexual"),
        ("can I have her snapchat", "harassment"),
        ("let's meet up, don't tell your parents", "harassment"),
    ] {
        assert!(has(text, kind), "{text:?}: {}", evidence(text));
    }
    passes(&[
        "the girls looked so smart in their new uniform",
        "she's very tall for her age",
        "send me the photos of the trip please",
        "Year 2 made Mother's Day cards, shh, don't tell your mum!",
        "Don't tell your parents, it's a surprise for the Christmas fair",
    ]);
}

#[test]
fn calls_for_a_pile_on() {
    found_as(
        "inflammatory",
        &[
            "Name and shame this teacher, everyone share this post!",
            "Everyone needs to complain to Ofsted until she's sacked.",
            "Share this everywhere, this school needs to be exposed.",
            "Who's with me? Let's make her life a misery until she resigns.",
        ],
    );
    passes(&[
        "Please share this post so more families know about the fair!",
        "Share this with anyone who might want a place in Reception.",
        "Everyone is welcome to give feedback through the parent survey.",
    ]);
}

#[test]
fn islamophobia_under_a_muslim_schools_posts() {
    flagged(&[
        "Breeding the next generation of terrorists I see.",
        "Madrassas like this should be shut down.",
        "Filthy goat botherers.",
        "How many of these kids will end up joining ISIS?",
        "Send them all back, every last one.",
        "Another Islamic school, this country is finished.",
    ]);
    passes(&[
        "Our madrassa class performed beautifully at the assembly.",
        "The mosque open day was a great way to meet neighbours.",
        "The madrassa should be closed down for the holidays on Friday",
        "No more homework this week, enjoy the holidays!",
        "Islam Awareness Week starts on Monday with a special assembly.",
    ]);
}

#[test]
fn what_someone_deserves_and_what_a_group_causes() {
    flagged(&[
        "Your son is a little rat and he'll get what's coming.",
        "She deserves everything she gets, the lying witch.",
        "that kid needs a good slap",
        "Blacks are always causing trouble round here.",
    ]);
    passes(&[
        "The class rat is called Nibbles",
        "Year 6 boys are always causing trouble at lunch",
        "We found a good hiding place",
        "She deserves every award she gets, what a teacher.",
    ]);
}

#[test]
fn a_group_named_by_its_members_roles() {
    flagged(&[
        "Gay teachers shouldn't be allowed near children.",
        "A Muslim woman is disgusting",
        "I hate Muslim parents",
        "I'll make sure you never work in a school again, watch.",
    ]);
    passes(&[
        "I hate English teachers, they give too much homework",
        "English teachers are useless at marking",
        "Muslim parents are brilliant at organising the fair",
    ]);
}

#[test]
fn dehumanising_words_said_to_someones_face_and_insulted_collections() {
    flagged(&["Go and get a real job, you parasites.", "What an ugly bunch of kids.", "such a thick lot of parents"]);
    passes(&[
        "The rats in the science lab are called Pip and Squeak",
        "leeches in the pond at forest school",
        "What a stupid bunch of flowers",
        "what a lovely bunch of kids",
    ]);
}

#[test]
fn a_school_run_by_clowns_and_insults_after_a_comma() {
    flagged(&[
        "Bet the teachers are loving another inset day, lazy gits.",
        "This school is a joke run by clowns.",
        "Get rid of the head, she's a disaster.",
    ]);
    passes(&[
        "The fair is run by volunteers",
        "the trip was a disaster because of the rain",
        "The circus workshop was run by clowns from Zippos",
        "We saw sheep, goats, big pig.",
    ]);
}

#[test]
fn groups_wished_dead_or_gone_and_said_to_be_untrustworthy_or_beasts() {
    flagged(&[
        "Disabled people deserve to die.",
        "Immigrants must die.",
        "The world would be better without Muslims.",
        "We'd be better off without trans people.",
        "Women are too dumb to vote.",
        "Jews cannot be trusted.",
        "Why do black people always act like animals?",
        "Gay people are sub-human.",
        "All women are so repulsive.",
    ]);
    passes(&[
        "Disabled people deserve better access to the playground.",
        "Women deserve equal pay.",
        "Trans people need support, not judgement.",
        "No immigrants deserve to die.",
        "The boys were like animals at lunch today, so much energy!",
        "We are better off without plastic bottles at lunch.",
        "A world without bees would be a sad place.",
        "The smell from the bins is repulsive.",
        "Our Polish families act like a second staff team, so helpful!",
    ]);
}

#[test]
fn pests_said_of_animals_are_not_insults() {
    passes(&[
        "Spiders are vermin.",
        "Foxes are vermin according to my grandad but the kids loved seeing one.",
        "Fleas are parasites, please check your children's hair for nits too.",
    ]);
    flagged(&["You vermin.", "Those people are vermin.", "You are parasites, the lot of you."]);
}

#[test]
fn insults_said_of_looks_and_lone_insults_answer_someone() {
    flagged(&[
        "she looks like a pig in that photo",
        "Loser.",
        "stop whining you big baby",
        "get a grip you snowflake",
        "bunch of halfwits running this place",
    ]);
    passes(&[
        "I have no clothes that make me look like a redneck but I tried my best",
        "I look like a clown in this wig",
        "She looked like a princess in the photo",
        "Loser buys the cakes at the staff quiz",
        "We made a snowflake for every child in Year 1",
    ]);
}

#[test]
fn insulting_adjectives_beside_a_group_and_verb_phrase_predicates() {
    flagged(&[
        "Stupid Muslims ruin every workplace.",
        "Dumb women should keep their mouths shut.",
        "Refugees need to be put in camps.",
        "Jews are nothing more than animals.",
        "You can't trust Asians with anything.",
        "Honestly lesbians are the lowest form of life.",
        "Trans people are all sick in the head.",
        "Women belong in the kitchen.",
        "Kick every last one of those Muslims out.",
    ]);
    passes(&[
        "Why would anyone think black people are inferior?",
        "Stupid question, but do Muslim children need a prayer room?",
        "Our Year 6 boys are in camps all summer with the scouts.",
        "Women are more than capable of running the PTA.",
        "Kick the ball to the girls next time!",
        "Mums back in the kitchen for the bake sale, thank you ladies!",
        "The lowest form of life in our pond survey was a water flea.",
        "Crazy hair day for the girls on Friday!",
    ]);
}

#[test]
fn talk_page_abuse_and_its_ordinary_neighbours() {
    flagged(&[
        "you're a sad, sad individual with nothing better to do",
        "Your mother should have aborted you",
        "Are you mentally challenged or just lazy?",
        "You have the brain of a goldfish",
        "you are lower than dirt",
        "your nothing but a bully and a liar",
    ]);
    passes(&[
        "Our goldfish Bubbles has had a lovely summer with Year 3",
        "The dirt track by the field is closed for repairs",
        "My son was bullied last year and the school sorted it quickly",
        "We talked about what to do if you see a bully in the playground",
        "Please check your A level results on the portal",
        "Sorry, I was being lazy and didn't check the date",
    ]);
}

#[test]
fn an_insulting_adjective_strengthens_the_insult_after_it_and_more_spellings() {
    flagged(&["st00pid cow", "ugly cow", "fvck you", "fk off", "you dickhed"]);
    passes(&[
        "The stupid pig in the story built his house of straw",
        "We read The Ugly Duckling in Reception today",
        "Our stupid printer has jammed again",
        "My daughter was the silly goose in the play",
    ]);
}

#[test]
fn implicit_hate_of_groups_faiths_and_ways_of_being() {
    flagged(&[
        "Transgenders are mentally ill and need help, not surgery",
        "Black people commit all the crime in this country",
        "Muslims are breeding to take over Europe",
        "Homosexuality is a disease that needs curing",
        "Every Muslim is a potential terrorist",
        "Hitler was right about the Jews",
        "Bisexuals are just greedy",
        "Those Romanians are all beggars and pickpockets",
        "Africans are genetically less intelligent",
        "Lesbians just need a real man",
        "Women drivers should be banned from the roads",
        "Women are only good for cooking and cleaning",
    ]);
    passes(&[
        "Islam is a religion of peace and we learnt about the five pillars",
        "Homosexuality was decriminalised in England and Wales in 1967",
        "The Year 6 girls will take over the school council next week",
        "Our rabbits are breeding like mad, anyone want a bunny?",
        "Muslim parents commit so much time to the PTA, thank you",
        "A potential terrorist incident at the station closed the road this morning",
        "Women drivers from our PTA ran the minibus to the match",
        "We learnt about the Holocaust and why Hitler was wrong",
    ]);
}

#[test]
fn threats_said_the_way_parents_say_them() {
    found_as(
        "threat",
        &[
            "That teacher wants a slap",
            "She wants shooting",
            "Your days are numbered",
            "I'll break your legs",
            "If I see that kid near my daughter again I'll knock him out",
            "He's going to get his head kicked in",
            "Try that again and you'll be in hospital",
            "Going to burn your house down",
            "You won't be smiling when I'm done with you",
            "I know which car is yours, I'll be waiting",
        ],
    );
    passes(&[
        "Break a leg to everyone in the show tonight!",
        "Her days are numbered as head girl, she leaves in July, so sad",
        "The kids taught Mr Jones a lesson in dodgeball he won't forget!",
        "Going to burn off some energy at the park",
        "I'll be waiting at the gate at 3:15",
    ]);
}

#[test]
fn sexual_remarks_about_staff_and_parents() {
    flagged(&[
        "the new TA has a nice rack",
        "your mum gives good head",
        "I wanna bend her over the desk",
        "he's a kiddy fiddler",
    ]);
    passes(&[
        "The new TA has a nice way with the little ones",
        "Bend your knees when you lift the PE mats",
        "Head lice are going round Year 1 again",
        "I'd do her hair for the show if she likes",
        "I'd smash that quiz, I know all about the Romans",
    ]);
}

#[test]
fn insults_pointed_at_with_this_that_or_those() {
    flagged(&[
        "@USER These leftist losers will never learn",
        "Get this hag off my TV",
        "@USER He is a traitor and a liar",
        "@USER She is a lying piece of garbage",
        "@USER Conservatives have no brains",
        "@USER sit down, nobody asked you",
        "Trash human, trash opinions",
    ]);
    passes(&[
        "Those losers of the sack race got a sticker too",
        "Here is this idiot-proof guide to phonics for parents",
        "This clown costume is so cute",
        "soo what you putting on those crackers?",
        "We had cream crackers and cheese at the picnic",
        "Trash collection moved to Tuesday this week",
    ]);
}

#[test]
fn bullying_between_children() {
    flagged(&[
        "ur so fat no wonder u have no friends",
        "why don't you just end it",
        "I'm going to tell everyone your secret",
        "nobody wants to sit next to you because you smell",
        "you'll always be a nobody",
        "freak, go back to your special school",
        "I hope you fail all your exams and cry",
        "you don't belong here, everyone wants you gone",
    ]);
    passes(&[
        "You can choose low fat milk at lunch",
        "Fat chance of the rain stopping before sports day",
        "Nobody likes Mondays, but the breakfast club helps!",
        "Hang your coat on your peg please",
        "I'm going to tell everyone about the book fair",
        "We hope nobody fails to get a place at their first choice school",
    ]);
}

#[test]
fn british_slang_insults_when_aimed() {
    flagged(&[
        "you total spanner",
        "you doughnut, read the letter",
        "you utter weapon",
        "stop being a mardy cow",
        "you jammy git",
    ]);
    passes(&[
        "Bring a spanner for the bike maintenance club",
        "The doughnut sale raised £80!",
        "That's a weapon of a cake, well done Mrs Ali",
        "Our coding club learned how to use git this term",
    ]);
}

#[test]
fn insults_and_slurs_said_of_many() {
    flagged(&["you pillocks", "bunch of knobheads", "those fatsos", "you absolute bellends", "go home, towelheads"]);
    passes(&["it gives me the creeps", "we had a laugh with the nerds at code club"]);
}

#[test]
fn a_good_word_denied_to_a_group_refused_views_and_a_name_called_at_someone() {
    // "never any good", "no X can be trusted": the group denied a good word is hate of it.
    for text in ["Women are never any good.", "No Muslim can ever be trusted.", "No trans person can be trusted."] {
        assert!(has(text, "hate"), "{text:?}: {}", evidence(text));
    }
    // Someone trustworthy is no group, and a sign's "no" before others is not hate.
    passes(&["Nobody can be trusted with the last biscuit.", "No dogs allowed on the school grounds."]);
    // The writer naming a view to refuse it: "I would never say …".
    for text in ["I would never say that gay people are disgusting.", "I'd never say immigrants are vermin."] {
        assert!(!abusive(text), "{text:?}: {}", evidence(text));
        assert!(evidence(text).contains("reported"), "{}", evidence(text));
    }
    // A word refused is still written, and said to someone.
    flagged(&["I never said you was a hoe, you slag", "I'll never call her a slag again, the slag"]);
    // Called at someone, a word is an insult whatever innocent sense is near ("read").
    assert!(has("You absolute clown, learn to read.", "insult"), "{}", evidence("You absolute clown, learn to read."));
    passes(&["Are you the clown in the nativity play?"]);
}

#[test]
fn injuries_promised_a_place_overrun_and_a_view_said_to_be_fine() {
    found_as("threat", &["If that teacher touches my kid again I'll break his legs.", "I'll smash your face in"]);
    found_as("threat", &["I'm coming to the school tomorrow and someone is getting hurt."]);
    // A livelihood threatened is a threat too; a job lost in passing is not.
    found_as("threat", &["I'll make sure you lose your job.", "Keep this up and I'll get you sacked."]);
    passes(&["Losing your job is hard, I hope you find another soon."]);
    // The school run and the weather hurt people too, and backs are watched on ice.
    passes(&[
        "Someone is getting hurt in the parking chaos every morning.",
        "Watch your back on the icy path by the gate.",
        "The boys want to break the record for keepy-uppies.",
    ]);
    found_as("hate", &["Our schools are overrun by foreigners.", "The town is infested with immigrants."]);
    passes(&["The hall was overrun by parents wanting tickets."]);
    // A condemnation denied endorses what follows rather than reporting it.
    let fine = "It's not racist to say most crime is committed by black people.";
    assert!(has(fine, "hate"), "{}", evidence(fine));
    assert!(evidence(fine).contains("said to be fine to say"), "{}", evidence(fine));
    passes(&["Saying most crime is committed by black people is racist."]);
    // A pejorative adjective between the subject and the insult: "a corrupt liar".
    found_as("insult", &["The headteacher is a corrupt liar and a thief."]);
    // "I hate" with its space dropped, or spelt out letter by letter.
    found_as("hate", &["Ihate Muslims.", "I h a t e women."]);
}

#[test]
fn leering_at_staff_is_sexual_and_ordinary_talk_of_clothes_is_not() {
    found_as(
        "sexual",
        &[
            "She's got a nice pair on her, that new teaching assistant.",
            "I'd smash Miss Green given half the chance.",
            "What are you wearing under that uniform?",
        ],
    );
    passes(&[
        "She's got a nice pair of trainers on, very smart.",
        "I'd smash it at sports day if I were you!",
        "What is she wearing under her coat, is it the new uniform?",
    ]);
}

#[test]
fn a_predicate_misspelt_beside_a_group_is_read_and_the_explanation_says_so() {
    found_as(
        "hate",
        &["Immigrants are vrmin.", "Women are disugsting.", "I haet Muslims.", "Trans people are disgustng."],
    );
    let e = evidence("Immigrants are vrmin.");
    assert!(e.contains("spelt \"vrmin\""), "{e}");
    // Everyday words a slip from a predicate stay themselves: "with" is not "witch", nor "weird" "weirdo".
    passes(&[
        "Proud to stand with women.",
        "Muslims are weird about nothing, my neighbours say.",
        "Gay people are lovely.",
    ]);
    // Away from any group a misspelling is not read at all.
    passes(&["The film was disugsting.", "What a moon tonight."]);
}
