//! Checking a draft post against the will-not-post rules before it goes out (P2.5–P2.11, P2.16).
//!
//! The analyser says what is in the text; this module says what the school's policy makes of it for an
//! outgoing post, and adds what only a post has: a category (P2.5), a channel (P2.1) and the people in
//! its photos, each of whom must have consented (P2.6). Every finding names its clause and the words or
//! person that caused it, and says whether it blocks the post or asks a person to look.

use analyse::label::kind;
use analyse::roster::Roster;
use analyse::{Analysis, Finding, Label};

use crate::model::{Action, Exception, Policy};

/// The consent a person needs to be named in a post.
pub const NAME_CONSENT: &str = "name_online";
/// The consent a person needs to be shown in a photo.
pub const PHOTO_CONSENT: &str = "photo_online";

/// Below this a roster match is too weak to mention (an everyday word that is also a first name).
const NAME_REVIEW_SCORE: f32 = 0.25;

/// A draft post as staff write it.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub text: String,
    /// The channel it is for: a channel's handle, name or URL, or a platform (`facebook_page`).
    #[serde(default)]
    pub channel: Option<String>,
    /// One of the policy's post categories (P2.5), by id.
    #[serde(default)]
    pub category: Option<String>,
    /// Roster ids of everyone shown in the post's photos.
    #[serde(default)]
    pub people_in_photos: Vec<String>,
}

/// Whether a finding stops the post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The post must not go out as it is.
    Block,
    /// A person (the headteacher) should look before it goes out.
    Review,
}

/// One reason a draft cannot go out as it is, or should be looked at.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PostFinding {
    pub severity: Severity,
    pub clause: String,
    /// What the policy says, in its own words.
    pub rule: String,
    /// What in the draft broke it.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Byte span in the draft's text, when the finding is about words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
}

/// The verdict on one draft.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PostCheck {
    pub findings: Vec<PostFinding>,
}

impl PostCheck {
    /// Whether the post must not go out.
    pub fn blocked(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Block)
    }
}

/// Check a draft whose text the analyser has already read.
pub fn check_post(draft: &Draft, analysis: &Analysis, policy: &Policy, roster: Option<&Roster>) -> PostCheck {
    let mut findings = Vec::new();
    check_category(draft, policy, &mut findings);
    check_channel(draft, policy, &mut findings);
    for f in &analysis.findings {
        if f.label == Label::PersonalInfo && f.kind == kind::NAME {
            check_name(draft, f, policy, roster, &mut findings);
        } else if f.counts() {
            check_content(draft, f, policy, &mut findings);
        }
    }
    check_photos(draft, policy, roster, &mut findings);
    findings.sort_by_key(|f| (f.severity, f.span));
    PostCheck { findings }
}

fn check_category(draft: &Draft, policy: &Policy, out: &mut Vec<PostFinding>) {
    let problem = match draft.category.as_deref() {
        None => "the draft has no category".to_string(),
        Some(id) if policy.category(id).is_none() => {
            let known: Vec<&str> = policy.categories.iter().map(|c| c.id.as_str()).collect();
            format!("{id:?} is not one of the school's categories ({})", known.join(", "))
        }
        Some(_) => return,
    };
    out.push(PostFinding {
        severity: Severity::Review,
        clause: "P2.5".into(),
        rule: "every post is one of the things the school will post".into(),
        message: format!("{problem}: the headteacher decides whether it fits"),
        ..blank()
    });
}

fn check_channel(draft: &Draft, policy: &Policy, out: &mut Vec<PostFinding>) {
    let Some(wanted) = draft.channel.as_deref() else {
        return;
    };
    let norm = |s: &str| s.trim().trim_start_matches('@').trim_end_matches('/').to_lowercase();
    let wanted_n = norm(wanted);
    let known = policy.channels.iter().any(|c| {
        [c.handle.as_deref(), c.name.as_deref(), c.url.as_deref(), Some(c.platform.as_str())]
            .into_iter()
            .flatten()
            .any(|v| norm(v) == wanted_n)
    });
    if !known {
        out.push(PostFinding {
            severity: Severity::Review,
            clause: "P2.1".into(),
            rule: "the school posts only on its listed official channels".into(),
            message: format!("{wanted:?} is not one of the channels listed in the policy"),
            ..blank()
        });
    }
}

/// A name in the text: fine with consent (P2.6), blocked without; a weak match is for a person to judge.
fn check_name(draft: &Draft, f: &Finding, policy: &Policy, roster: Option<&Roster>, out: &mut Vec<PostFinding>) {
    if f.score < NAME_REVIEW_SCORE {
        return;
    }
    let person = f.person.as_deref().and_then(|id| roster?.get(id));
    if person.is_some_and(|p| p.consents_to(NAME_CONSENT)) {
        return;
    }
    let words = &draft.text[f.start..f.end];
    let who = person.map_or_else(|| "someone".to_string(), |p| format!("{} ({})", p.display_name(), p.id));
    let (severity, message) = if f.counts() {
        (Severity::Block, format!("{words:?} names {who}, who has no {NAME_CONSENT} consent"))
    } else {
        (Severity::Review, format!("{words:?} may name {who}, who has no {NAME_CONSENT} consent ({})", f.evidence))
    };
    out.push(PostFinding {
        severity,
        clause: consent_rule(policy).0,
        rule: consent_rule(policy).1,
        message,
        label: Some(f.label),
        kind: Some(f.kind.to_string()),
        span: Some((f.start, f.end)),
        person: f.person.clone(),
    });
}

/// The policy's rule about names and photos, or P2.6's words if the file leaves it out.
fn consent_rule(policy: &Policy) -> (String, String) {
    policy
        .will_not_post
        .iter()
        .find(|r| r.unless == Some(Exception::Consent))
        .map(|r| (r.clause.as_str().to_string(), r.text.clone()))
        .unwrap_or_else(|| ("P2.6".into(), "Names and photos of individuals (unless they have given consent)".into()))
}

/// What else the analyser found: a will-not-post rule blocks; otherwise the policy's moderation action
/// for the label decides, since the school should not post what it would delete from a commenter.
fn check_content(draft: &Draft, f: &Finding, policy: &Policy, out: &mut Vec<PostFinding>) {
    let words = &draft.text[f.start..f.end];
    let rule = policy.will_not_post_for(f.label).find(|r| r.unless != Some(Exception::Consent));
    let (severity, clause, rule_text) = if let Some(rule) = rule {
        (Severity::Block, rule.clause.as_str().to_string(), rule.text.clone())
    } else if f.label == Label::PersonalInfo && is_contact_detail(&f.kind) {
        // Alerts legitimately carry the school's own phone number, email and address.
        (Severity::Review, f.clause.to_string(), "personal information: fine only if it is the school's own".into())
    } else {
        let severity = match policy.action_for(f.label) {
            Some(Action::Keep) => return,
            Some(Action::Delete) => Severity::Block,
            Some(Action::HideForReview | Action::Flag) | None => Severity::Review,
        };
        let rule = policy.moderation_rule(f.label);
        let clause = rule.map_or_else(|| f.clause.to_string(), |r| r.clause.as_str().to_string());
        let text = rule.and_then(|r| r.text.clone()).unwrap_or_else(|| format!("{} content", f.label));
        (severity, clause, text)
    };
    out.push(PostFinding {
        severity,
        clause,
        rule: rule_text,
        message: format!("{words:?}: {}/{} ({})", f.label, f.kind, f.evidence),
        label: Some(f.label),
        kind: Some(f.kind.to_string()),
        span: Some((f.start, f.end)),
        person: None,
    });
}

fn is_contact_detail(k: &str) -> bool {
    [kind::PHONE, kind::EMAIL, kind::ADDRESS, kind::POSTCODE].contains(&k)
}

/// Everyone in a photo must be known and have photo consent (P2.6).
fn check_photos(draft: &Draft, policy: &Policy, roster: Option<&Roster>, out: &mut Vec<PostFinding>) {
    let (clause, rule) = consent_rule(policy);
    for id in &draft.people_in_photos {
        let message = match roster.map(|r| r.get(id)) {
            None => format!("no roster was given, so the photo consent of {id:?} cannot be checked"),
            Some(None) => format!("{id:?} is not on the roster, so their photo consent cannot be checked"),
            Some(Some(p)) if !p.consents_to(PHOTO_CONSENT) => {
                format!("{} ({id}) is in a photo without {PHOTO_CONSENT} consent", p.display_name())
            }
            Some(Some(_)) => continue,
        };
        out.push(PostFinding {
            severity: Severity::Block,
            clause: clause.clone(),
            rule: rule.clone(),
            message,
            person: Some(id.clone()),
            ..blank()
        });
    }
}

fn blank() -> PostFinding {
    PostFinding {
        severity: Severity::Review,
        clause: String::new(),
        rule: String::new(),
        message: String::new(),
        label: None,
        kind: None,
        span: None,
        person: None,
    }
}

#[cfg(test)]
mod tests {
    use analyse::roster::{Consent, Person, Role, Roster};
    use analyse::{Context, analyse};

    use super::*;

    fn policy() -> Policy {
        Policy::parse(include_str!("../../../examples/dar-ul-madinah/policy.toml"), "policy.toml").unwrap()
    }

    fn roster() -> Roster {
        let person = |id: &str, first: &str, last: &str, consents: &[(&str, Consent)]| Person {
            id: id.into(),
            role: Role::Pupil,
            first: first.into(),
            last: last.into(),
            preferred: None,
            consents: consents.iter().map(|(u, c)| (u.to_string(), *c)).collect(),
        };
        Roster {
            people: vec![
                person("P1", "Yusuf", "Rahman", &[(NAME_CONSENT, Consent::Granted), (PHOTO_CONSENT, Consent::Granted)]),
                person(
                    "P2",
                    "Maryam",
                    "Osman",
                    &[(NAME_CONSENT, Consent::Refused), (PHOTO_CONSENT, Consent::Withdrawn)],
                ),
            ],
        }
    }

    fn check(draft: Draft) -> PostCheck {
        let policy = policy();
        let roster = roster();
        let ctx = Context::new(policy.analyser_settings()).unwrap().with_roster(&roster);
        let analysis = analyse(&draft.text, &ctx);
        check_post(&draft, &analysis, &policy, Some(&roster))
    }

    fn draft(text: &str) -> Draft {
        Draft { text: text.into(), category: Some("achievements".into()), ..Draft::default() }
    }

    #[test]
    fn a_plain_post_in_a_category_may_go_out() {
        let result = check(draft("Well done to Year 4 for a wonderful assembly about kindness this morning."));
        assert!(!result.blocked(), "{result:?}");
        assert!(result.findings.is_empty(), "{result:?}");
    }

    #[test]
    fn names_need_name_consent() {
        let ok = check(draft("Congratulations to Yusuf Rahman on winning the poetry prize!"));
        assert!(!ok.blocked(), "{ok:?}");
        let blocked = check(draft("Congratulations to Maryam Osman on winning the poetry prize!"));
        assert!(blocked.blocked());
        let f = &blocked.findings[0];
        assert_eq!((f.clause.as_str(), f.person.as_deref()), ("P2.6", Some("P2")));
        assert!(f.message.contains("Maryam Osman"), "{}", f.message);
    }

    #[test]
    fn everyone_in_a_photo_needs_photo_consent() {
        let mut d = draft("Our trip to the coast was a great success.");
        d.people_in_photos = vec!["P1".into()];
        assert!(!check(d.clone()).blocked());
        d.people_in_photos = vec!["P1".into(), "P2".into(), "P9".into()];
        let result = check(d);
        let blocked: Vec<_> = result.findings.iter().filter(|f| f.severity == Severity::Block).collect();
        assert_eq!(blocked.len(), 2, "{result:?}");
        assert!(blocked.iter().all(|f| f.clause == "P2.6"));
        assert!(blocked.iter().any(|f| f.message.contains("not on the roster")));
    }

    #[test]
    fn a_photo_without_a_roster_cannot_be_cleared() {
        let policy = policy();
        let mut d = draft("Sports day photos");
        d.people_in_photos = vec!["P1".into()];
        let analysis = analyse(&d.text, &Context::new(policy.analyser_settings()).unwrap());
        let result = check_post(&d, &analysis, &policy, None);
        assert!(result.blocked());
        assert!(result.findings[0].message.contains("no roster"));
    }

    #[test]
    fn unknown_or_missing_category_goes_to_the_headteacher() {
        let mut d = draft("Lovely sunny day today.");
        d.category = Some("memes".into());
        let result = check(d.clone());
        assert!(!result.blocked());
        assert_eq!(result.findings[0].clause, "P2.5");
        assert!(result.findings[0].message.contains("memes"));
        d.category = None;
        assert_eq!(check(d).findings[0].clause, "P2.5");
    }

    #[test]
    fn will_not_post_rules_block_with_their_clause() {
        let cases = [
            ("Vote Labour at the general election on Thursday and sign the petition!", "P2.9"),
            ("You are all a bunch of useless idiots", "P2.7"),
        ];
        for (text, clause) in cases {
            let result = check(draft(text));
            assert!(result.blocked(), "{text}: {result:?}");
            assert!(
                result.findings.iter().any(|f| f.clause == clause && f.severity == Severity::Block),
                "{text}: {result:?}"
            );
        }
    }

    #[test]
    fn the_schools_own_phone_number_is_for_review_not_blocked() {
        let result = check(draft("Snow update: the school is closed today. Call the office on 01632 960 123."));
        assert!(!result.blocked(), "{result:?}");
        assert!(result.findings.iter().any(|f| f.kind.as_deref() == Some("phone") && f.severity == Severity::Review));
    }
}
