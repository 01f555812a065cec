//! No input makes the policy crate panic: not arbitrary text, not the example broken in arbitrary
//! ways. Whatever parses is also linted, rendered and turned into analyser settings.

mod common;

use common::{FILE, example};
use policy::{Date, Format, Policy, lint, render};
use proptest::prelude::*;

/// Everything the crate offers, on whatever parses.
fn exercise(source: &str, today: Date) {
    match Policy::parse(source, FILE) {
        Ok(policy) => {
            let _ = lint(&policy, today);
            let _ = render(&policy, Format::Markdown);
            let _ = render(&policy, Format::Html);
            let _ = policy.analyser_settings();
        }
        Err(err) => {
            assert!(!err.diagnostics.is_empty());
            for d in &err.diagnostics {
                assert!(d.location.line >= 1 && d.location.column >= 1);
                assert!(d.location.line <= source.split('\n').count().max(1), "{d}");
            }
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
    ReplaceValue { line: usize, value: String },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let value = prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("4294967296".to_string()),
        Just("\"\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("0001-01-01".to_string()),
        Just("9999-12-31".to_string()),
        Just("\"9999-12-31\"".to_string()),
        Just("true".to_string()),
        "\"[^\"\\\\]{0,20}\"",
        "[0-9]{1,12}",
    ];
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), "\\PC{0,12}|[\\[\\]{}=\"'#\n.,]{1,6}").prop_map(|(at, text)| Mutation::Insert { at, text }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        (any::<usize>(), value).prop_map(|(line, value)| Mutation::ReplaceValue { line, value }),
    ]
}

fn apply(source: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = source.split('\n').map(str::to_string).collect();
    let n = lines.len();
    match m {
        Mutation::Delete { at, len } => {
            let start = floor_char_boundary(source, at % (source.len() + 1));
            let end = floor_char_boundary(source, start + len);
            return format!("{}{}", &source[..start], &source[end..]);
        }
        Mutation::Insert { at, text } => {
            let at = floor_char_boundary(source, at % (source.len() + 1));
            return format!("{}{text}{}", &source[..at], &source[at..]);
        }
        Mutation::DuplicateLine { line } => {
            let l = lines[line % n].clone();
            lines.insert(line % n, l);
        }
        Mutation::SwapLines { a, b } => lines.swap(a % n, b % n),
        Mutation::ReplaceValue { line, value } => {
            // Replace the value of the next `key = value` line at or after `line`.
            if let Some(i) = (0..n).map(|k| (line + k) % n).find(|&i| lines[i].contains(" = ")) {
                let key = lines[i].split(" = ").next().unwrap_or("").to_string();
                lines[i] = format!("{key} = {value}");
            }
        }
    }
    lines.join("\n")
}

fn day() -> impl Strategy<Value = Date> {
    (-719_162i64..2_932_896).prop_map(|d| Date::from_unix_days(d).expect("in range"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text(source in "\\PC{0,400}", today in day()) {
        exercise(&source, today);
    }

    #[test]
    fn arbitrary_toml_like_text(source in "([a-z_]{1,8} = (\"[a-z]{0,5}\"|[0-9]{1,3}|\\[\\]|[0-9]{4}-[0-9]{2}-[0-9]{2})\n|\\[\\[?[a-z_.]{1,12}\\]\\]?\n){0,20}", today in day()) {
        exercise(&source, today);
    }

    #[test]
    fn mutations_of_the_example(mutations in proptest::collection::vec(mutation(), 1..4), today in day()) {
        let mut source = example();
        for m in &mutations {
            source = apply(&source, m);
        }
        exercise(&source, today);
    }
}

#[test]
fn extreme_values_in_the_example() {
    let today = Date::from_unix_days(0).unwrap();
    let example = example();
    for (from, to) in [
        ("interval_months = 12", "interval_months = 4294967295"),
        ("threshold = 3", "threshold = 4294967295"),
        ("response_target_minutes = 60", "response_target_minutes = 4294967295"),
        ("last_reviewed = 2025-08-07", "last_reviewed = 0001-01-01"),
        ("next_review = 2026-08-31", "next_review = 9999-12-31"),
    ] {
        let source = example.replacen(from, to, 1);
        assert_ne!(source, example, "{from}");
        exercise(&source, today);
        exercise(&source, Date::from_unix_days(2_932_896).unwrap());
    }
}
