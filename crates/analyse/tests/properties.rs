//! Properties that hold for every input: the analyser never panics, and every span it reports lies
//! inside the text on character boundaries, so callers can slice the original with it.

use analyse::fold::{Runs, fold};
use analyse::roster::{Person, Role, Roster};
use analyse::{Context, Settings, analyse};
use proptest::prelude::*;

fn context() -> &'static Context {
    static CTX: std::sync::OnceLock<Context> = std::sync::OnceLock::new();
    CTX.get_or_init(|| {
        let person = |id: &str, first: &str, last: &str| Person {
            id: id.into(),
            role: Role::Pupil,
            first: first.into(),
            last: last.into(),
            preferred: None,
            consents: Default::default(),
        };
        let roster = Roster { people: vec![person("1", "Zoë", "Brontë"), person("2", "Ali", "Khan")] };
        Context::new(Settings::default()).unwrap().with_roster(&roster)
    })
}

/// Text that looks like what people write, evasions and all, rather than uniformly random code points.
fn comment() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z]{1,8}",
        "[0-9 +()-]{1,14}",
        Just("f.u.c.k".to_string()),
        Just("\u{200B}".to_string()),
        Just("а".to_string()),
        Just("𝐢𝐝𝐢𝐨𝐭".to_string()),
        Just("@".to_string()),
        Just("https://x.com/".to_string()),
        Just("07700 900123".to_string()),
        Just("SW1A 1AA".to_string()),
        Just("Zoë Brontë".to_string()),
        "[ .,!?*$@|'\"-]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn check_spans(text: &str) {
    for f in analyse(text, context()).findings {
        assert!(f.start < f.end || (f.start == f.end && text.is_empty()), "empty span {f:?}");
        assert!(f.end <= text.len(), "span past the end: {f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "span off a char boundary: {f:?}");
        assert!((0.0..=1.0).contains(&f.score), "score out of range: {f:?}");
        assert!(!f.clause.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn analysing_any_text_never_panics_and_spans_are_slicable(text in comment()) {
        check_spans(&text);
    }

    #[test]
    fn arbitrary_unicode_too(text in any::<String>()) {
        check_spans(&text);
    }

    #[test]
    fn folded_spans_map_onto_char_boundaries(text in comment()) {
        for runs in [Runs::KeepDouble, Runs::Single] {
            let folded = fold(&text, runs);
            let f = folded.as_str();
            prop_assert!(!f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "));
            for (i, c) in f.char_indices() {
                let (s, e) = folded.original_span(i, i + c.len_utf8());
                prop_assert!(s <= e && e <= text.len());
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            }
        }
    }
}
