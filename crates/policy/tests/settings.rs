//! What the policy hands the analyser.

mod common;

use analyse::Label;
use analyse::lexicon::{Anchor, Lexicon};
use common::{example, fixed, parse};

#[test]
fn ethos_terms_carry_their_category() {
    let settings = parse(&example()).analyser_settings();
    let raffle = settings.extra_terms.iter().find(|t| t.text == "raffle").expect("raffle*");
    assert_eq!(raffle.label, Label::Ethos);
    assert_eq!(raffle.kind, "gambling");
    assert_eq!(raffle.anchor, Anchor::Prefix);
    assert!((raffle.score - 0.7).abs() < 1e-6);
    let pork = settings.extra_terms.iter().find(|t| t.text == "gammon").unwrap();
    assert_eq!((pork.label, pork.kind.as_ref()), (Label::Ethos, "pork"));
    let mock = settings.extra_terms.iter().find(|t| t.text == "sky fairy").unwrap();
    assert_eq!(mock.kind, "mockery_of_faith");
    let party = settings.extra_terms.iter().find(|t| t.text == "reform uk").unwrap();
    assert_eq!((party.label, party.kind.as_ref()), (Label::Political, "political"));
    let p = parse(&example());
    let expected: usize = p.lexicon.ethos.iter().chain(&p.lexicon.political).map(|g| g.terms.len()).sum();
    assert_eq!(settings.extra_terms.len(), expected);
}

#[test]
fn the_terms_compile_and_match() {
    let settings = parse(&example()).analyser_settings();
    let lexicon = Lexicon::new(settings.extra_terms).unwrap();
    let kinds = |text: &str| {
        let (_, hits) = lexicon.scan(text);
        hits.iter().map(|h| (lexicon.term(h).label, lexicon.term(h).kind.to_string())).collect::<Vec<_>>()
    };
    assert!(kinds("Tickets for our summer RAFFLE on sale now").contains(&(Label::Ethos, "gambling".into())));
    assert!(kinds("Bacon butties at the fair").contains(&(Label::Ethos, "pork".into())));
    assert!(kinds("Vote Reform UK on Thursday").contains(&(Label::Political, "political".into())));
    assert!(kinds("Well done to Year 6 on their reading").is_empty());
}

#[test]
fn accounts_and_suppliers() {
    let settings = parse(&fixed()).analyser_settings();
    assert_eq!(
        settings.official_accounts,
        [
            "@DarulMadinahPrimary",
            "https://www.facebook.com/DarulMadinahPrimary",
            "@DarulMadinahPS",
            "https://x.com/DarulMadinahPS",
        ]
    );
    assert_eq!(settings.allowed_suppliers, ["Madinah Uniforms Ltd", "madinah-uniforms.co.uk"]);
    assert_eq!(settings.staff_personal_accounts, ["@ateacher", "https://www.facebook.com/a.teacher"]);

    let seed = parse(&example()).analyser_settings();
    assert!(seed.official_accounts.is_empty() && seed.allowed_suppliers.is_empty());
}
