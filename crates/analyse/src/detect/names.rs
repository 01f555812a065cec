//! Names of the school's people in the text (P2.6: no names without consent).
//!
//! Every name form a person goes by (legal and preferred first names, and each with the surname) is
//! folded like the text and compiled into one [`Matcher`], so a 600-person roster costs one pass. A full
//! name is strong evidence; a lone first name is weaker, and weaker still when several people share it
//! or when it is also an everyday word ("Will", "Grace").

use super::Scan;
use crate::fold::fold_term;
use crate::label::kind;
use crate::lexicon::Anchor;
use crate::matcher::Matcher;
use crate::roster::Roster;
use crate::{Detector, Finding, Label};

const FULL_NAME: f32 = 0.95;
const UNIQUE_FIRST_NAME: f32 = 0.7;

/// First names that are also common English words, so a lone match is weak evidence.
const EVERYDAY_WORDS: &[&str] = &[
    "will", "grace", "hope", "faith", "joy", "may", "april", "june", "rose", "lily", "daisy", "summer", "autumn",
    "sky", "rain", "ivy", "holly", "hazel", "amber", "ruby", "pearl", "crystal", "dawn", "eve", "mark", "bill", "jack",
    "frank", "rich", "art", "guy", "ray", "sunny", "honey", "star", "storm", "river", "violet", "iris", "poppy",
    "willow", "jade", "precious", "harmony", "patience", "victory", "noble", "king", "earl", "angel", "chase",
    "hunter", "bear", "reed", "dean", "drew", "pat", "sue", "don", "nick", "rob", "bob", "ben",
];

/// One name form of one person.
struct Form {
    person: usize,
    full: bool,
}

pub(crate) struct Names {
    matcher: Matcher,
    /// For each pattern, every person who goes by it.
    forms: Vec<Vec<Form>>,
    people: Vec<(String, String)>,
}

impl Names {
    pub fn new(roster: &Roster) -> Names {
        let mut patterns: Vec<String> = Vec::new();
        let mut forms: Vec<Vec<Form>> = Vec::new();
        let mut add = |name: &str, person: usize, full: bool| {
            let folded = fold_term(name);
            if folded.is_empty() {
                return;
            }
            let at = patterns.iter().position(|p| *p == folded).unwrap_or_else(|| {
                patterns.push(folded);
                forms.push(Vec::new());
                patterns.len() - 1
            });
            if !forms[at].iter().any(|f| f.person == person) {
                forms[at].push(Form { person, full });
            }
        };
        for (i, p) in roster.people.iter().enumerate() {
            for first in std::iter::once(p.first.as_str()).chain(p.preferred.as_deref()) {
                add(first, i, false);
                add(&format!("{first} {}", p.last), i, true);
            }
        }
        let matcher = Matcher::new(patterns.iter().map(|p| (p.as_str(), Anchor::Word)))
            .expect("a roster has fewer than 2^32 names");
        let people = roster.people.iter().map(|p| (p.id.clone(), p.display_name())).collect();
        Names { matcher, forms, people }
    }

    pub fn detect(&self, scan: &Scan, out: &mut Vec<Finding>) {
        let text = scan.folded.as_str();
        // The longest name at each place, and none inside another ("Adam Khan" is not also "Adam").
        let mut taken = 0;
        self.matcher.for_each(scan.folded, (0, text.len()), |pattern, s, e| {
            if s < taken {
                return;
            }
            taken = e;
            let forms = &self.forms[pattern];
            let span = scan.folded.original_span(s, e);
            let everyday = EVERYDAY_WORDS.contains(&&text[s..e]);
            for form in forms {
                out.push(self.finding(form, forms.len(), everyday, span));
            }
        });
    }

    fn finding(&self, form: &Form, sharing: usize, everyday: bool, span: (usize, usize)) -> Finding {
        let (id, name) = &self.people[form.person];
        let (score, why) = if form.full {
            (FULL_NAME / sharing as f32, "full name")
        } else if sharing > 1 {
            (UNIQUE_FIRST_NAME / sharing as f32, "first name shared by several people")
        } else {
            (UNIQUE_FIRST_NAME, "first name unique in the school")
        };
        let (score, why) = if everyday && !form.full {
            (score * 0.5, "first name that is also an everyday word")
        } else {
            (score, why)
        };
        let mut finding = Finding::new(Label::PersonalInfo, kind::NAME, score, span, Detector::Roster)
            .with_evidence(format!("{why}: {name} ({id})"));
        finding.person = Some(id.clone());
        finding
    }
}

#[cfg(test)]
mod tests {
    use crate::roster::{Person, Role, Roster};
    use crate::{Context, Label, Settings, analyse};

    fn person(id: &str, first: &str, last: &str, preferred: Option<&str>) -> Person {
        Person {
            id: id.into(),
            role: Role::Pupil,
            first: first.into(),
            last: last.into(),
            preferred: preferred.map(Into::into),
            consents: Default::default(),
        }
    }

    fn ctx() -> Context {
        let roster = Roster {
            people: vec![
                person("P1", "Muhammad", "Khan", Some("Mo")),
                person("P2", "Zoë", "Brontë", None),
                person("P3", "Aisha", "Ali", None),
                person("P4", "Aisha", "Begum", None),
                person("P5", "Grace", "Okafor", None),
            ],
        };
        Context::new(Settings::default()).unwrap().with_roster(&roster)
    }

    fn names(text: &str) -> Vec<(String, f32, String)> {
        analyse(text, &ctx())
            .findings
            .into_iter()
            .filter(|f| f.label == Label::PersonalInfo && f.kind == "name")
            .map(|f| (f.person.unwrap(), f.score, text[f.start..f.end].to_string()))
            .collect()
    }

    #[test]
    fn full_and_preferred_names_case_and_accent_insensitive() {
        assert_eq!(names("Well done MO KHAN!"), [("P1".into(), 0.95, "MO KHAN".into())]);
        assert_eq!(names("zoe bronte won"), [("P2".into(), 0.95, "zoe bronte".into())]);
        assert_eq!(names("Muhammad Khan read aloud")[0].0, "P1");
    }

    #[test]
    fn shared_first_names_score_lower_and_name_everyone() {
        let found = names("Aisha sang beautifully");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(_, score, _)| *score < 0.5));
        let unique = names("Zoë sang beautifully");
        assert_eq!(unique.len(), 1);
        assert!(unique[0].1 >= 0.5);
    }

    #[test]
    fn everyday_words_and_partial_words_are_weak_or_absent() {
        let grace = names("We say grace before lunch");
        assert!(grace.iter().all(|(_, score, _)| *score < 0.5), "{grace:?}");
        assert!(names("Mohammed and Alison").is_empty(), "no match inside other words");
        assert!(names("Momentum").is_empty());
    }
}
