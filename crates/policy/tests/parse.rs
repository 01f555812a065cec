//! Reading the policy file: the example as the enforced policy, and every kind of mistake placed at
//! file:line:column and named by field.

mod common;

use analyse::Label;
use common::{FILE, edit, example, fixed, insert_after, line_of, parse};
use policy::{Action, ChannelStatus, Diagnostic, Exception, Platform, Policy, ProseSection};

fn errors(source: &str) -> Vec<Diagnostic> {
    match Policy::parse(source, FILE) {
        Ok(_) => panic!("the policy should not parse"),
        Err(err) => {
            assert!(!err.diagnostics.is_empty());
            err.diagnostics
        }
    }
}

fn only_error(source: &str) -> Diagnostic {
    let mut errors = errors(source);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.remove(0)
}

#[test]
fn the_example_states_the_seed_policy() {
    let p = parse(&example());
    assert_eq!(p.school.name, "Dar ul Madinah Primary School");
    assert_eq!(p.approval.approved_by, "Directors");
    assert_eq!(p.approval.date.to_string(), "2025-08-07");
    assert_eq!(p.review.next_review.to_string(), "2026-08-31");
    assert_eq!(p.review.interval_months, 12);
    assert!(p.channels.is_empty());
    assert_eq!(p.placeholders.len(), 2);
    assert_eq!(p.placeholders[0].field, "channels[0]");
    assert_eq!(p.placeholders[0].text, "List school Facebook and X (formerly Twitter) accounts, including usernames");
    let ids: Vec<&str> = p.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, policy::lint::TEMPLATE_CATEGORIES);
    let clauses: Vec<&str> = p.will_not_post.iter().map(|r| r.clause.as_str()).collect();
    assert_eq!(clauses, ["P2.6", "P2.7", "P2.8", "P2.9", "P2.10", "P2.11"]);
    assert_eq!(p.will_not_post[0].unless, Some(Exception::Consent));
    assert_eq!(p.platform_sections.len(), 2);
    assert_eq!(p.platform_sections[1].platform, Platform::XAccount);
    assert_eq!(p.platform_sections[1].will_post_heading, None);
    assert_eq!(p.platform_sections[1].will_not_post_heading.as_deref(), Some("The school will not post on Facebook:"));
    assert_eq!(p.related_policies.len(), 6);
    assert_eq!(p.training.kinds.len(), 5);
    assert_eq!(p.prose_for(ProseSection::Staff).find(|b| b.items.len() == 8).map(|b| b.clause.is_some()), Some(true));
}

#[test]
fn the_example_covers_the_schools_ethos_and_uk_politics() {
    let p = parse(&example());
    let categories: Vec<&str> = p.lexicon.ethos.iter().map(|g| g.category.as_str()).collect();
    for wanted in ["alcohol", "gambling", "pork", "mockery_of_faith"] {
        assert!(categories.contains(&wanted), "{wanted} missing from {categories:?}");
    }
    let ethos: Vec<&str> = p.lexicon.ethos.iter().flat_map(|g| g.terms.iter().map(String::as_str)).collect();
    for term in ["betting", "sweepstake*", "lottery", "raffle*", "pork*", "wine"] {
        assert!(ethos.contains(&term), "{term}");
    }
    let political: Vec<&str> = p.lexicon.political.iter().map(|g| g.category.as_str()).collect();
    assert_eq!(political, ["party", "campaign", "election", "petition"]);
}

#[test]
fn enforcement_data_for_other_code() {
    let p = parse(&example());
    assert_eq!(p.action_for(Label::Abuse), Some(Action::Delete));
    assert_eq!(p.action_for(Label::Ethos), Some(Action::Delete));
    assert_eq!(p.action_for(Label::AgeInappropriate), Some(Action::HideForReview));
    assert_eq!(p.action_for(Label::Addressing), Some(Action::Keep));
    assert_eq!(p.moderation_rule(Label::Political).unwrap().clause, "P2.9");
    assert_eq!(p.response_target_minutes(), 60);
    assert_eq!((p.strikes.threshold, p.strikes.window_days), (3, 90));
    assert!(p.strikes.headteacher_confirms);
    assert!(p.counts_as_strike(Label::Abuse) && !p.counts_as_strike(Label::Addressing));
    let rules: Vec<&str> = p.will_not_post_for(Label::Commercial).map(|r| r.id.as_str()).collect();
    assert_eq!(rules, ["business_adverts"]);
    assert_eq!(p.category("greetings").unwrap().text, "Seasonal greetings and messages about religious festivals");
    assert!(p.category("birthdays").is_none());
    assert_eq!(p.platform_section(Platform::FacebookPage).unwrap().title, "Facebook");

    // A label the file leaves out has no action.
    let without = edit(&example(), "label = \"addressing\"\naction = \"keep\"\n", "label = \"addressing\"\n");
    assert_eq!(parse(&without).action_for(Label::Addressing), None);
}

#[test]
fn channels_are_read_in_order() {
    let p = parse(&fixed());
    assert!(p.placeholders.is_empty());
    let platforms: Vec<Platform> = p.channels.iter().map(|c| c.platform).collect();
    assert_eq!(platforms, [Platform::FacebookPage, Platform::XAccount, Platform::WhatsappGroup]);
    assert_eq!(p.channels[1].handle.as_deref(), Some("@DarulMadinahPS"));
    assert_eq!(p.channels[2].status, ChannelStatus::Active);
    assert_eq!(p.channels[2].moderators, ["Year 6 teacher"]);
}

#[test]
fn unknown_field_is_named_and_placed() {
    let src = insert_after(&example(), "short_name = \"Dar ul Madinah\"\n", "colour = \"green\"\n");
    let e = only_error(&src);
    assert_eq!(e.field, "school.colour");
    assert_eq!((e.location.line, e.location.column), (line_of(&src, "colour = "), 1));
    assert!(e.problem.contains("unknown field `colour`"), "{}", e.problem);
    assert_eq!(e.file, FILE);
}

#[test]
fn bad_action_names_the_rule_by_index() {
    let src = edit(
        &example(),
        "label = \"personal_info\"\naction = \"delete\"",
        "label = \"personal_info\"\naction = \"explode\"",
    );
    let e = only_error(&src);
    assert_eq!(e.field, "moderation.rules[2].action");
    assert_eq!(e.location.line, line_of(&src, "\"explode\""));
    assert_eq!(e.location.column, "action = ".len() + 1);
    assert!(e.problem.contains("explode") && e.problem.contains("hide_for_review"), "{}", e.problem);
}

#[test]
fn unknown_label_is_refused() {
    let src = edit(&example(), "label = \"spam\"", "label = \"spammy\"");
    let e = only_error(&src);
    assert_eq!(e.field, "moderation.rules[1].label");
    assert_eq!(e.location.line, line_of(&src, "\"spammy\""));
}

#[test]
fn missing_field_is_named_at_its_table() {
    let src = edit(&example(), "ethos = \"Islamic\"\n", "");
    let e = only_error(&src);
    assert_eq!(e.field, "school.ethos");
    assert_eq!(e.location.line, line_of(&src, "[school]"));
    assert!(e.problem.contains("missing field `ethos`"), "{}", e.problem);
}

#[test]
fn missing_top_level_table_is_named() {
    let src = edit(&example(), "[strikes]\n", "[strikes_typo]\n");
    let e = only_error(&src);
    // serde reports the unknown table first; either way the field says which.
    assert!(e.field == "strikes_typo" || e.field == "strikes", "{e}");
}

#[test]
fn wrong_type_is_named() {
    let src = edit(&example(), "response_target_minutes = 60", "response_target_minutes = \"an hour\"");
    let e = only_error(&src);
    assert_eq!(e.field, "moderation.response_target_minutes");
    assert_eq!(e.location.line, line_of(&src, "\"an hour\""));
    let src = edit(&example(), "threshold = 3", "threshold = -1");
    assert_eq!(only_error(&src).field, "strikes.threshold");
}

#[test]
fn impossible_date_is_refused() {
    let src = edit(&example(), "next_review = 2026-08-31", "next_review = \"2026-02-30\"");
    let e = only_error(&src);
    assert_eq!(e.field, "review.next_review");
    assert!(e.problem.contains("2026-02-30"), "{}", e.problem);
    let src = edit(&example(), "next_review = 2026-08-31", "next_review = 2026-08-31T09:00:00");
    assert_eq!(only_error(&src).field, "review.next_review");
}

#[test]
fn malformed_clause_is_refused() {
    let src = edit(&example(), "clause = \"P2.6\"", "clause = \"2.6\"");
    let e = only_error(&src);
    assert_eq!(e.field, "will_not_post[0].clause");
    assert!(e.problem.contains("not a clause ID"), "{}", e.problem);
}

#[test]
fn syntax_error_is_placed() {
    let src = edit(&example(), "[approval]", "[approval");
    let e = only_error(&src);
    assert_eq!(e.field, "TOML syntax");
    assert_eq!(e.location.line, line_of(&src, "[approval"));
}

#[test]
fn every_meaning_error_is_reported_at_once() {
    let mut src = edit(&example(), "id = \"reminders\"", "id = \"alerts\"");
    src = edit(&src, "category = \"pork\"\nscore = 0.7", "category = \"pork\"\nscore = 7.0");
    src = edit(&src, "interval_months = 12", "interval_months = 0");
    let errors = errors(&src);
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"categories[1].id"), "{fields:?}");
    assert!(fields.contains(&"lexicon.ethos[3].score"), "{fields:?}");
    assert!(fields.contains(&"review.interval_months"), "{fields:?}");
    let dup = errors.iter().find(|e| e.field == "categories[1].id").unwrap();
    assert_eq!(dup.location.line, line_of(&src, "id = \"alerts\"\ntext = \"Reminders\""));
    assert!(dup.problem.contains("more than once"));
}

#[test]
fn review_must_come_after_the_last_one() {
    let src = edit(&example(), "next_review = 2026-08-31", "next_review = 2025-08-01");
    let e = only_error(&src);
    assert_eq!(e.field, "review.next_review");
    assert!(e.problem.contains("not after the last review"), "{}", e.problem);
}

#[test]
fn channel_lines_are_checked() {
    let filled_placeholder = edit(
        &example(),
        "placeholder = \"Add any other school social media channels\"\n",
        "placeholder = \"Add any other school social media channels\"\nplatform = \"x_account\"\nstatus = \"active\"\n",
    );
    assert_eq!(only_error(&filled_placeholder).field, "channels[1].placeholder");

    let no_platform = edit(&fixed(), "platform = \"x_account\"\nhandle", "handle");
    let e = only_error(&no_platform);
    assert_eq!(e.field, "channels[1].platform");
    assert_eq!(e.location.line, line_of(&no_platform, "handle = \"@DarulMadinahPS\"") - 1);

    let bad = edit(&fixed(), "url = \"https://x.com/DarulMadinahPS\"", "url = \"x.com/DarulMadinahPS\"");
    assert_eq!(only_error(&bad).field, "channels[1].url");
    let bad = edit(&fixed(), "handle = \"@DarulMadinahPS\"", "handle = \"Darul Madinah\"");
    assert_eq!(only_error(&bad).field, "channels[1].handle");
    let bad =
        edit(&fixed(), "status = \"active\"\nmanager = \"headteacher\"\nmoderators", "status = \"open\"\nmoderators");
    assert_eq!(only_error(&bad).field, "channels[2].status");
}

#[test]
fn lists_and_names_are_checked() {
    let bad =
        edit(&example(), "terms = [\"bet\", \"bets\", \"bingo\", \"odds\"]", "terms = [\"bet\", \"*\", \" odds\"]");
    let fields: Vec<String> = errors(&bad).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["lexicon.ethos[2].terms[1]", "lexicon.ethos[2].terms[2]"]);

    let bad = edit(&example(), "category = \"mockery_of_faith\"", "category = \"Mockery of faith\"");
    assert_eq!(only_error(&bad).field, "lexicon.ethos[5].category");

    let bad =
        edit(&fixed(), "domains = [\"madinah-uniforms.co.uk\"]", "domains = [\"https://madinah-uniforms.co.uk/\"]");
    assert_eq!(only_error(&bad).field, "suppliers[0].domains[0]");

    let bad = edit(&example(), "text = \"The school:\"", "items = []");
    assert_eq!(only_error(&bad).field, "prose[6]");

    let bad = edit(&example(), "format = 1", "format = 2");
    let e = only_error(&bad);
    assert_eq!((e.field.as_str(), e.location.line), ("format", line_of(&bad, "format = 2")));
}

#[test]
fn diagnostics_read_file_line_column_field_problem() {
    let src = edit(&example(), "label = \"spam\"\naction = \"delete\"", "label = \"spam\"\naction = \"zap\"");
    let e = only_error(&src);
    let line = line_of(&src, "\"zap\"");
    assert!(e.to_string().starts_with(&format!("policy.toml:{line}:10: moderation.rules[1].action: ")), "{e}");
}

#[test]
fn nothing_at_all_is_an_error_not_a_panic() {
    for src in ["", "\u{feff}", "format = 1", "[[", "\0", "format = 1\n[school]\nname = 1"] {
        assert!(Policy::parse(src, FILE).is_err(), "{src:?}");
    }
}
