//! The linter: each rule fires on the mistake it is for, and stays quiet on a policy without it.

mod common;

use common::{BEFORE_REVIEW, date, edit, example, fixed, insert_after, line_of, parse};
use policy::{Finding, Severity, lint};

fn findings(source: &str, today: &str) -> Vec<Finding> {
    lint(&parse(source), date(today))
}

fn with_rule<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn the_corrected_example_is_clean() {
    let found = findings(&fixed(), BEFORE_REVIEW);
    let serious: Vec<String> =
        found.iter().filter(|f| f.severity >= Severity::Warning).map(ToString::to_string).collect();
    assert!(serious.is_empty(), "{serious:#?}");
    let infos: Vec<&str> = found.iter().map(|f| f.rule).collect();
    assert!(infos.is_empty(), "{infos:?}");
}

#[test]
fn the_seed_as_approved_has_the_three_known_problems() {
    let src = example();
    let found = findings(&src, "2026-11-25");

    let placeholders = with_rule(&found, "placeholder");
    assert_eq!(placeholders.len(), 2);
    assert_eq!(placeholders[0].severity, Severity::Error);
    assert_eq!(placeholders[0].clause, "P2.1");
    assert_eq!(placeholders[0].field, "channels[0]");
    assert_eq!(placeholders[0].location.line, line_of(&src, "[[channels]]\nplaceholder = \"List school"));
    assert!(placeholders[0].message.contains("List school Facebook and X (formerly Twitter) accounts"));

    let overdue = with_rule(&found, "review-overdue");
    assert_eq!(overdue.len(), 1);
    assert_eq!((overdue[0].severity, overdue[0].clause.as_str()), (Severity::Error, "P7.3"));
    assert_eq!(overdue[0].location.line, line_of(&src, "next_review = 2026-08-31"));
    assert!(overdue[0].message.contains("31 August 2026") && overdue[0].message.contains("86 days"));

    let heading = with_rule(&found, "heading-platform");
    assert_eq!(heading.len(), 1);
    assert_eq!((heading[0].severity, heading[0].clause.as_str()), (Severity::Warning, "P2.12"));
    assert_eq!(heading[0].field, "platform_sections[1].will_not_post_heading");
    assert!(heading[0].message.contains("§2.2") && heading[0].message.contains("Facebook"), "{}", heading[0].message);
    assert_eq!(
        heading[0].location.line,
        line_of(&src, "will_not_post_heading = \"The school will not post on Facebook:\"\n\n# What the school")
    );

    // §2.1's heading is right: only one heading finding.
    assert_eq!(with_rule(&found, "heading-missing").len(), 1);
    // Findings come in file order.
    assert!(found.windows(2).all(|w| w[0].location <= w[1].location));
}

#[test]
fn the_review_is_not_overdue_on_its_last_day() {
    let src = example();
    assert!(with_rule(&findings(&src, "2026-08-31"), "review-overdue").is_empty());
    assert_eq!(with_rule(&findings(&src, "2026-09-01"), "review-overdue").len(), 1);
    let soon = findings(&src, "2026-07-15");
    assert_eq!(with_rule(&soon, "review-due-soon").len(), 1);
    assert!(with_rule(&findings(&src, BEFORE_REVIEW), "review-due-soon").is_empty());
}

/// A mistake, the rule that should catch it, and how serious it is. Each case edits the corrected
/// example, so the rule is seen not to fire before the edit and to fire after it.
struct Case {
    rule: &'static str,
    severity: Severity,
    clause: &'static str,
    field: &'static str,
    edits: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        rule: "placeholder",
        severity: Severity::Error,
        clause: "P2.1",
        field: "related_policies[0].owner",
        edits: &[("owner = \"Designated safeguarding lead\"", "owner = \"[insert name]\"")],
    },
    Case {
        rule: "placeholder",
        severity: Severity::Error,
        clause: "P2.1",
        field: "channels[0].manager",
        edits: &[(
            "manager = \"headteacher\"\n\n[[channels]]\nplatform = \"x_account\"",
            "manager = \"TBC\"\n\n[[channels]]\nplatform = \"x_account\"",
        )],
    },
    Case {
        rule: "review-interval",
        severity: Severity::Warning,
        clause: "P7.3",
        field: "review.interval_months",
        edits: &[("interval_months = 12", "interval_months = 24")],
    },
    Case {
        rule: "review-date",
        severity: Severity::Warning,
        clause: "P7.3",
        field: "review.next_review",
        edits: &[("next_review = 2026-08-31", "next_review = 2026-09-01")],
    },
    Case {
        rule: "date-in-future",
        severity: Severity::Warning,
        clause: "P7.3",
        field: "approval.date",
        edits: &[("date = 2025-08-07", "date = 2026-02-01")],
    },
    Case {
        rule: "no-channels",
        severity: Severity::Warning,
        clause: "P2.1",
        field: "channels[0]",
        edits: &[
            (
                "url = \"https://www.facebook.com/DarulMadinahPrimary\"\nstatus = \"active\"",
                "url = \"https://www.facebook.com/DarulMadinahPrimary\"\nstatus = \"closed\"",
            ),
            (
                "url = \"https://x.com/DarulMadinahPS\"\nstatus = \"active\"",
                "url = \"https://x.com/DarulMadinahPS\"\nstatus = \"closed\"",
            ),
            (
                "name = \"Year 6 parents & carers\"\nstatus = \"active\"",
                "name = \"Year 6 parents & carers\"\nstatus = \"closed\"",
            ),
        ],
    },
    Case {
        rule: "channel-manager",
        severity: Severity::Warning,
        clause: "P2.2",
        field: "channels[1].manager",
        edits: &[(
            "url = \"https://x.com/DarulMadinahPS\"\nstatus = \"active\"\nmanager = \"headteacher\"\n",
            "url = \"https://x.com/DarulMadinahPS\"\nstatus = \"active\"\n",
        )],
    },
    Case {
        rule: "channel-handle",
        severity: Severity::Warning,
        clause: "P2.1",
        field: "channels[0].handle",
        edits: &[("handle = \"DarulMadinahPrimary\"\n", "")],
    },
    Case {
        rule: "channel-handle",
        severity: Severity::Warning,
        clause: "P2.1",
        field: "channels[1].handle",
        edits: &[("handle = \"@DarulMadinahPS\"", "handle = \"@DarulMadinahPrimarySchool\"")],
    },
    Case {
        rule: "channel-status",
        severity: Severity::Warning,
        clause: "P2.1",
        field: "channels[3]",
        edits: &[(
            "moderators = [\"Year 6 teacher\"]\n",
            "moderators = [\"Year 6 teacher\"]\n\n[[channels]]\nplatform = \"other\"\nname = \"School blog\"\nstatus = \"active\"\nmanager = \"headteacher\"\n",
        )],
    },
    Case {
        rule: "channel-duplicate",
        severity: Severity::Error,
        clause: "P2.1",
        field: "channels[3].handle",
        edits: &[(
            "moderators = [\"Year 6 teacher\"]\n",
            "moderators = [\"Year 6 teacher\"]\n\n[[channels]]\nplatform = \"x_account\"\nhandle = \"darulmadinahps\"\nstatus = \"planned\"\nmanager = \"headteacher\"\n",
        )],
    },
    Case {
        rule: "channel-duplicate",
        severity: Severity::Error,
        clause: "P2.1",
        field: "channels[3].url",
        edits: &[(
            "moderators = [\"Year 6 teacher\"]\n",
            "moderators = [\"Year 6 teacher\"]\n\n[[channels]]\nplatform = \"facebook_page\"\nhandle = \"dumps\"\nurl = \"http://facebook.com/darulmadinahprimary/\"\nstatus = \"active\"\nmanager = \"headteacher\"\n",
        )],
    },
    Case {
        rule: "channel-url",
        severity: Severity::Warning,
        clause: "P2.1",
        field: "channels[1].url",
        edits: &[("url = \"https://x.com/DarulMadinahPS\"", "url = \"https://www.facebook.com/DarulMadinahPS\"")],
    },
    Case {
        rule: "whatsapp-invite-link",
        severity: Severity::Warning,
        clause: "P5.2",
        field: "channels[2].url",
        edits: &[(
            "name = \"Year 6 parents & carers\"\n",
            "name = \"Year 6 parents & carers\"\nurl = \"https://chat.whatsapp.com/AbCdEf123\"\n",
        )],
    },
    Case {
        rule: "heading-missing",
        severity: Severity::Info,
        clause: "P2.12",
        field: "platform_sections[0].will_not_post_heading",
        edits: &[("will_not_post_heading = \"The school will not post on Facebook:\"\n", "")],
    },
    Case {
        rule: "heading-platform",
        severity: Severity::Warning,
        clause: "P2.12",
        field: "platform_sections[0].will_post_heading",
        edits: &[(
            "will_post_heading = \"The school will post on Facebook:\"",
            "will_post_heading = \"The school will post on X (formerly Twitter):\"",
        )],
    },
    Case {
        rule: "category-missing",
        severity: Severity::Info,
        clause: "P2.5",
        field: "categories",
        edits: &[("id = \"feedback\"", "id = \"surveys\"")],
    },
    Case {
        rule: "will-not-post-missing",
        severity: Severity::Warning,
        clause: "P2.9",
        field: "will_not_post",
        edits: &[(
            "clause = \"P2.9\"\ntext = \"Political statements\"",
            "clause = \"P2.7\"\ntext = \"Political statements\"",
        )],
    },
    Case {
        rule: "will-not-post-unchecked",
        severity: Severity::Info,
        clause: "P2.5",
        field: "will_not_post[2].labels",
        edits: &[("labels = [\"addressing\"]\n", "")],
    },
    Case {
        rule: "moderation-no-action",
        severity: Severity::Error,
        clause: "P2.13",
        field: "moderation.rules[8].action",
        edits: &[("label = \"personal_link\"\naction = \"flag\"\n", "label = \"personal_link\"\n")],
    },
    Case {
        rule: "moderation-keeps-deletable",
        severity: Severity::Warning,
        clause: "P2.13",
        field: "moderation.rules[1].action",
        edits: &[("label = \"spam\"\naction = \"delete\"", "label = \"spam\"\naction = \"keep\"")],
    },
    Case {
        rule: "moderation-label",
        severity: Severity::Warning,
        clause: "P2.13",
        field: "moderation.rules",
        edits: &[("[[moderation.rules]]\nlabel = \"addressing\"\naction = \"keep\"\nclause = \"P2.8\"\n", "")],
    },
    Case {
        rule: "response-target",
        severity: Severity::Warning,
        clause: "P2.13",
        field: "moderation.response_target_minutes",
        edits: &[("response_target_minutes = 60", "response_target_minutes = 2880")],
    },
    Case {
        rule: "response-target",
        severity: Severity::Warning,
        clause: "P2.13",
        field: "moderation.response_target_minutes",
        edits: &[("response_target_minutes = 60", "response_target_minutes = 0")],
    },
    Case {
        rule: "strike-threshold",
        severity: Severity::Error,
        clause: "P2.15",
        field: "strikes.threshold",
        edits: &[("threshold = 3", "threshold = 0")],
    },
    Case {
        rule: "strike-threshold",
        severity: Severity::Warning,
        clause: "P2.15",
        field: "strikes.threshold",
        edits: &[("threshold = 3", "threshold = 1")],
    },
    Case {
        rule: "strike-threshold",
        severity: Severity::Warning,
        clause: "P2.15",
        field: "strikes.threshold",
        edits: &[("threshold = 3", "threshold = 50")],
    },
    Case {
        rule: "strike-window",
        severity: Severity::Error,
        clause: "P2.15",
        field: "strikes.window_days",
        edits: &[("window_days = 90", "window_days = 0")],
    },
    Case {
        rule: "strike-labels",
        severity: Severity::Error,
        clause: "P2.15",
        field: "strikes.labels",
        edits: &[(
            "labels = [\"abuse\", \"spam\", \"personal_info\", \"commercial\", \"donation_request\", \"ethos\", \"age_inappropriate\"]",
            "labels = []",
        )],
    },
    Case {
        rule: "strike-labels",
        severity: Severity::Warning,
        clause: "P2.15",
        field: "strikes.labels",
        edits: &[(
            "labels = [\"abuse\", \"spam\", \"personal_info\", \"commercial\", \"donation_request\", \"ethos\", \"age_inappropriate\"]",
            "labels = [\"spam\"]",
        )],
    },
    Case {
        rule: "lexicon-duplicate",
        severity: Severity::Info,
        clause: "P2.13",
        field: "lexicon.ethos[4].terms[3]",
        edits: &[(
            "terms = [\"ham\", \"pepperoni\", \"sausage roll*\"]",
            "terms = [\"ham\", \"pepperoni\", \"sausage roll*\", \"Bacon\"]",
        )],
    },
    Case {
        rule: "suppliers-empty",
        severity: Severity::Info,
        clause: "P2.10",
        field: "suppliers",
        edits: &[(
            "[[suppliers]]\nname = \"Madinah Uniforms Ltd\"\nkind = \"uniform\"\ndomains = [\"madinah-uniforms.co.uk\"]\n",
            "",
        )],
    },
    Case {
        rule: "staff-accounts-empty",
        severity: Severity::Info,
        clause: "P2.11",
        field: "staff_accounts",
        edits: &[(
            "[[staff_accounts]]\nstaff = \"A. Teacher\"\naccounts = [\"@ateacher\", \"https://www.facebook.com/a.teacher\"]\n",
            "",
        )],
    },
    Case {
        rule: "reply-template-missing",
        severity: Severity::Warning,
        clause: "P2.14",
        field: "reply_templates",
        edits: &[("id = \"concern\"\npurpose = \"concern\"", "id = \"concern\"\npurpose = \"complaint\"")],
    },
    Case {
        rule: "reply-template-signpost",
        severity: Severity::Warning,
        clause: "P2.14",
        field: "reply_templates[0].text",
        edits: &[(
            "dealt with under our complaints policy, which is available",
            "dealt with properly, with the details available",
        )],
    },
    Case {
        rule: "complaints-policy-missing",
        severity: Severity::Warning,
        clause: "P8.1",
        field: "related_policies",
        edits: &[
            ("id = \"complaints\"", "id = \"grievances\""),
            ("title = \"Complaints policy\"", "title = \"Grievance procedure\""),
        ],
    },
    Case {
        rule: "training-audience",
        severity: Severity::Warning,
        clause: "P6.1",
        field: "training.audiences[0]",
        edits: &[(
            "audiences = [\"staff\", \"volunteers\", \"pupils\", \"parents\"]",
            "audiences = [\"governors\", \"staff\", \"volunteers\", \"pupils\", \"parents\"]",
        )],
    },
    Case {
        rule: "training-recurring",
        severity: Severity::Warning,
        clause: "P6.1",
        field: "training.kinds",
        edits: &[
            (
                "audiences = [\"staff\", \"volunteers\"]\nstage = \"recurring\"",
                "audiences = [\"staff\", \"volunteers\"]\nstage = \"initial\"",
            ),
            (
                "audiences = [\"parents\", \"pupils\"]\nstage = \"recurring\"",
                "audiences = [\"parents\", \"pupils\"]\nstage = \"initial\"",
            ),
        ],
    },
    Case {
        rule: "related-policy-owner",
        severity: Severity::Warning,
        clause: "P8.1",
        field: "related_policies[2]",
        edits: &[("owner = \"Deputy headteacher\"\n", "")],
    },
    Case {
        rule: "related-policy-link",
        severity: Severity::Info,
        clause: "P8.1",
        field: "related_policies[4]",
        edits: &[("link = \"https://darulmadinah.example/policies/mobile_phones\"\n", "")],
    },
    Case {
        rule: "related-policy-overdue",
        severity: Severity::Warning,
        clause: "P8.1",
        field: "related_policies[5].next_review",
        edits: &[("id = \"complaints\"\n", "id = \"complaints\"\nnext_review = 2025-12-31\n")],
    },
    Case {
        rule: "clause-unknown",
        severity: Severity::Warning,
        clause: "P8.1",
        field: "reply_templates[2].clause",
        edits: &[("clause = \"P2.15\"\ntext = \"We have removed", "clause = \"P2.99\"\ntext = \"We have removed")],
    },
];

#[test]
fn each_rule_fires_on_its_mistake_and_only_then() {
    let clean = findings(&fixed(), BEFORE_REVIEW);
    for case in CASES {
        assert!(with_rule(&clean, case.rule).is_empty(), "{} fires on the corrected example", case.rule);
        let mut src = fixed();
        for (from, to) in case.edits {
            src = edit(&src, from, to);
        }
        let found = findings(&src, BEFORE_REVIEW);
        let hits = with_rule(&found, case.rule);
        let hit = hits
            .iter()
            .find(|f| f.field == case.field)
            .unwrap_or_else(|| panic!("{} did not fire on {}: {hits:#?}", case.rule, case.field));
        assert_eq!(hit.severity, case.severity, "{}", case.rule);
        assert_eq!(hit.clause, case.clause, "{}", case.rule);
        assert_eq!(hit.location, parse(&src).locate(case.field), "{}", case.rule);
    }
}

#[test]
fn empty_lists_are_reported() {
    // Lists that the corrected example fills in, emptied one by one.
    let src = fixed();
    let no_categories = {
        let mut s = src.clone();
        while let Some(start) = s.find("[[categories]]") {
            let end = s[start..].find("\n\n").map_or(s.len(), |e| start + e + 2);
            s.replace_range(start..end, "");
        }
        s
    };
    let found = findings(&no_categories, BEFORE_REVIEW);
    assert_eq!(with_rule(&found, "categories-missing").len(), 1);
    assert_eq!(with_rule(&found, "categories-missing")[0].severity, Severity::Error);

    let no_ethos = {
        let mut s = src.clone();
        while let Some(start) = s.find("[[lexicon.ethos]]") {
            let end = start + s[start..].find("]\n\n").unwrap() + 3;
            s.replace_range(start..end, "");
        }
        s
    };
    let found = findings(&no_ethos, BEFORE_REVIEW);
    assert_eq!(with_rule(&found, "ethos-lexicon").len(), 1);
    assert!(
        with_rule(
            &findings(
                &edit(&no_ethos, "label = \"ethos\"\naction = \"delete\"", "label = \"ethos\"\naction = \"keep\""),
                BEFORE_REVIEW
            ),
            "ethos-lexicon"
        )
        .is_empty()
    );

    let no_related = {
        let mut s = src.clone();
        while let Some(start) = s.find("[[related_policies]]") {
            let end = start + s[start..].find("\n\n").unwrap() + 2;
            s.replace_range(start..end, "");
        }
        s
    };
    let found = findings(&no_related, BEFORE_REVIEW);
    assert_eq!(with_rule(&found, "related-policies-missing").len(), 1);
    assert_eq!(with_rule(&found, "complaints-policy-missing").len(), 1);

    let no_training = {
        let mut s = src.clone();
        while let Some(start) = s.find("[[training.kinds]]") {
            let end = start + s[start..].find("\n\n").unwrap() + 2;
            s.replace_range(start..end, "");
        }
        s
    };
    let found = findings(&no_training, BEFORE_REVIEW);
    assert_eq!(with_rule(&found, "training-missing").len(), 1);
    assert_eq!(with_rule(&found, "training-missing")[0].severity, Severity::Error);
}

#[test]
fn placeholder_text_is_recognised_by_shape() {
    use policy::lint::looks_like_placeholder;
    for text in [
        "List school Facebook and X (formerly Twitter) accounts, including usernames",
        "Add any other school social media channels",
        "[Insert name of headteacher]",
        "Owner: TBC",
        "todo",
    ] {
        assert!(looks_like_placeholder(text), "{text}");
    }
    for text in
        ["Headteacher", "Listening to pupils", "Additional needs", "Photos of the Xmas fair", "Complaints policy"]
    {
        assert!(!looks_like_placeholder(text), "{text}");
    }
}

#[test]
fn a_placeholder_anywhere_is_found() {
    let src = insert_after(&fixed(), "short_name = \"Dar ul Madinah\"\n", "");
    let src = edit(&src, "text = \"Invitations to provide feedback\"", "text = \"[Insert another category]\"");
    let found = findings(&src, BEFORE_REVIEW);
    let hits = with_rule(&found, "placeholder");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].field, "categories[8].text");
    assert_eq!(hits[0].location.line, line_of(&src, "[Insert another category]"));
}

#[test]
fn findings_display_with_severity_and_clause() {
    let found = findings(&example(), "2026-11-25");
    let overdue = found.iter().find(|f| f.rule == "review-overdue").unwrap();
    let line = line_of(&example(), "next_review = 2026-08-31");
    assert!(
        overdue.to_string().starts_with(&format!("{line}:1: error P7.3 review-overdue: review.next_review: ")),
        "{overdue}"
    );
}
