//! What a careful governor would notice about a policy that is valid but not yet right.
//!
//! Validation refuses a file that cannot be used; the linter reads one that can and points out
//! what the school should fix: template lines never filled in, an overdue review, a heading that
//! names the wrong platform, a label with no action. Each finding names the clause it is about, a
//! stable rule name (so a school can look it up), the field and where it is in the file.

use std::collections::HashMap;
use std::fmt;

use analyse::Label;

use crate::clause::ClauseId;
use crate::date::Date;
use crate::model::{Action, ChannelStatus, Platform, Policy, ReplyPurpose, Stage};
use crate::source::Location;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; nothing is wrong as such.
    Info,
    /// Probably a mistake, or a gap that weakens enforcement.
    Warning,
    /// The policy as written cannot be carried out, or is out of date.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing the linter noticed.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub clause: ClauseId,
    /// The lint rule's stable name (`review-overdue`).
    pub rule: &'static str,
    /// The dotted path of the field it is about.
    pub field: String,
    pub location: Location,
    pub message: String,
}

/// `38:1: error P2.1 placeholder: channels[0]: …` (prefix the file name to make it a full location).
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {} {}: {}: {}",
            self.location, self.severity, self.clause, self.rule, self.field, self.message
        )
    }
}

/// Every finding about `policy` as of `today`, in the order of the file.
pub fn lint(policy: &Policy, today: Date) -> Vec<Finding> {
    let mut l = Linter { policy, today, findings: Vec::new() };
    l.placeholders();
    l.review();
    l.channels();
    l.platform_sections();
    l.categories();
    l.will_not_post();
    l.moderation();
    l.strikes();
    l.lexicon();
    l.suppliers_and_accounts();
    l.reply_templates();
    l.training();
    l.related_policies();
    l.clauses();
    l.findings.sort_by_key(|f| f.location);
    l.findings
}

/// The categories of the template's §2.1 (P2.5), by the ids the example policy gives them.
pub const TEMPLATE_CATEGORIES: [&str; 9] = [
    "alerts",
    "reminders",
    "event_adverts",
    "vacancies",
    "newsletters",
    "achievements",
    "trips_and_events",
    "greetings",
    "feedback",
];

/// Labels §2.3 says are deleted (P2.13).
const DELETED_BY_POLICY: [Label; 6] =
    [Label::Abuse, Label::Spam, Label::PersonalInfo, Label::Commercial, Label::DonationRequest, Label::Ethos];

/// A review due within this many days is mentioned.
const REVIEW_SOON_DAYS: i64 = 60;

struct Linter<'a> {
    policy: &'a Policy,
    today: Date,
    findings: Vec<Finding>,
}

impl Linter<'_> {
    fn push(&mut self, severity: Severity, clause: &'static str, rule: &'static str, field: &str, message: String) {
        self.findings.push(Finding {
            severity,
            clause: ClauseId::known(clause),
            rule,
            field: field.to_string(),
            location: self.policy.locate(field),
            message,
        });
    }

    /// P2.1: template lines never filled in, whether kept as placeholders or left in some text.
    fn placeholders(&mut self) {
        for p in &self.policy.placeholders {
            let message = format!("template line never filled in: {:?}", p.text);
            self.push(Severity::Error, "P2.1", "placeholder", &p.field, message);
        }
        for (field, text) in texts(self.policy) {
            if looks_like_placeholder(text) {
                let message = format!("looks like template text never filled in: {text:?}");
                self.push(Severity::Error, "P2.1", "placeholder", &field, message);
            }
        }
    }

    /// P7.3: the review cycle.
    fn review(&mut self) {
        let review = &self.policy.review;
        let due = review.next_review;
        let days = self.today.days_until(due);
        if days < 0 {
            let message = format!(
                "the next review was due by {} ({} days before {}); review the policy and have the {} approve it again",
                due.long(),
                -days,
                self.today,
                self.policy.approval.approved_by
            );
            self.push(Severity::Error, "P7.3", "review-overdue", "review.next_review", message);
        } else if days <= REVIEW_SOON_DAYS {
            let message = format!("the next review is due by {} (in {days} days)", due.long());
            self.push(Severity::Info, "P7.3", "review-due-soon", "review.next_review", message);
        }
        if review.interval_months > 12 {
            let message = format!("reviewed every {} months; the policy says annually", review.interval_months);
            self.push(Severity::Warning, "P7.3", "review-interval", "review.interval_months", message);
        }
        let latest = review.last_reviewed.add_months(review.interval_months).end_of_month();
        if due > latest {
            let message = format!(
                "{due} is later than the last review ({}) plus {} months",
                review.last_reviewed, review.interval_months
            );
            self.push(Severity::Warning, "P7.3", "review-date", "review.next_review", message);
        }
        for (field, date) in
            [("approval.date", self.policy.approval.date), ("review.last_reviewed", review.last_reviewed)]
        {
            if date > self.today {
                let message = format!("{date} is in the future (today is {})", self.today);
                self.push(Severity::Warning, "P7.3", "date-in-future", field, message);
            }
        }
    }

    /// P2.1, P2.2, P5.2: the channel registry.
    fn channels(&mut self) {
        let policy = self.policy;
        if policy.channels.iter().all(|c| c.status == ChannelStatus::Closed) {
            let message = "no official channels are listed: Gatehouse cannot tell the school's own accounts from \
                           anyone else's, and the rendered policy lists none"
                .to_string();
            let field = if policy.channels.is_empty() { "channels" } else { "channels[0]" };
            self.push(Severity::Warning, "P2.1", "no-channels", field, message);
        }
        let mut handles: HashMap<(Platform, String), usize> = HashMap::new();
        let mut urls: HashMap<String, usize> = HashMap::new();
        for (i, c) in policy.channels.iter().enumerate() {
            let at = format!("channels[{i}]");
            let what = c.handle.as_deref().or(c.name.as_deref()).unwrap_or(c.platform.display_name());
            let in_use = c.status != ChannelStatus::Closed;
            if in_use && c.manager.as_deref().is_none_or(|m| m.trim().is_empty()) {
                let message = format!("{what} has no manager; the policy says the headteacher manages every channel");
                self.push(Severity::Warning, "P2.2", "channel-manager", &format!("{at}.manager"), message);
            }
            let needs_handle = matches!(c.platform, Platform::FacebookPage | Platform::XAccount);
            if in_use && needs_handle && c.handle.is_none() {
                let message = format!("{what} is listed without its username; the policy lists usernames");
                self.push(Severity::Warning, "P2.1", "channel-handle", &format!("{at}.handle"), message);
            }
            // A WhatsApp group has no public address, and its invite link should not be published.
            let addressable = c.platform != Platform::WhatsappGroup;
            if addressable && c.status == ChannelStatus::Active && c.handle.is_none() && c.url.is_none() {
                let message = format!("{what} is active but has neither a username nor a web address");
                self.push(Severity::Warning, "P2.1", "channel-status", &at, message);
            }
            if let Some(handle) = &c.handle {
                self.channel_handle(&at, c.platform, handle);
                let key = (c.platform, normalise_handle(handle));
                if let Some(first) = handles.insert(key, i) {
                    let message = format!("{handle} is also channels[{first}]");
                    self.push(Severity::Error, "P2.1", "channel-duplicate", &format!("{at}.handle"), message);
                }
            }
            if let Some(url) = &c.url {
                self.channel_url(&at, c.platform, url);
                if let Some(first) = urls.insert(normalise_url(url), i) {
                    let message = format!("{url} is also channels[{first}]");
                    self.push(Severity::Error, "P2.1", "channel-duplicate", &format!("{at}.url"), message);
                }
            }
        }
    }

    fn channel_handle(&mut self, at: &str, platform: Platform, handle: &str) {
        let name = handle.trim_start_matches('@');
        // X usernames: 1–15 letters, digits or underscores.
        let bad_x = platform == Platform::XAccount
            && (name.len() > 15 || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if bad_x {
            let message = format!("{handle} cannot be an X username (at most 15 letters, digits or _)");
            self.push(Severity::Warning, "P2.1", "channel-handle", &format!("{at}.handle"), message);
        }
    }

    fn channel_url(&mut self, at: &str, platform: Platform, url: &str) {
        let host = url_host(url);
        let hosts = platform.hosts();
        if !hosts.is_empty() && !hosts.contains(&host.as_str()) {
            let message = format!("{url} is not on {} ({})", platform.display_name(), hosts.join(", "));
            self.push(Severity::Warning, "P2.1", "channel-url", &format!("{at}.url"), message);
        }
        if platform == Platform::WhatsappGroup && host == "chat.whatsapp.com" {
            let message = "this is the group's invite link: published in the policy, it lets anyone join".to_string();
            self.push(Severity::Warning, "P5.2", "whatsapp-invite-link", &format!("{at}.url"), message);
        }
    }

    /// P2.12: each platform's headings should name that platform.
    fn platform_sections(&mut self) {
        for (i, s) in self.policy.platform_sections.iter().enumerate() {
            let number = format!("§2.{}", i + 1);
            let headings =
                [("will_post_heading", &s.will_post_heading), ("will_not_post_heading", &s.will_not_post_heading)];
            for (key, heading) in headings {
                let field = format!("platform_sections[{i}].{key}");
                let Some(heading) = heading else {
                    let what =
                        if key == "will_post_heading" { "what the school will post" } else { "what it will not post" };
                    let message = format!("{number} ({}) lists {what} with no heading", s.title);
                    self.push(Severity::Info, "P2.12", "heading-missing", &field, message);
                    continue;
                };
                let words = words(heading);
                let names_own = s.platform.names().iter().any(|n| words.iter().any(|w| w == n));
                let others: Vec<Platform> = Platform::ALL
                    .into_iter()
                    .filter(|p| *p != s.platform && p.names().iter().any(|n| words.iter().any(|w| w == n)))
                    .collect();
                if let Some(other) = others.first().filter(|_| !names_own) {
                    let message = format!(
                        "{number} is about {} but is headed {heading:?}, which names {} instead (the same rules apply on \
                         every channel)",
                        s.title,
                        other.short_name()
                    );
                    self.push(Severity::Warning, "P2.12", "heading-platform", &field, message);
                }
            }
        }
    }

    /// P2.5: what the school will post.
    fn categories(&mut self) {
        if self.policy.categories.is_empty() {
            let message = "no post categories: every post must carry one, so nothing could be posted".to_string();
            self.push(Severity::Error, "P2.5", "categories-missing", "categories", message);
            return;
        }
        for id in TEMPLATE_CATEGORIES {
            if self.policy.category(id).is_none() {
                let message = format!("the template's category `{id}` is not in this policy");
                self.push(Severity::Info, "P2.5", "category-missing", "categories", message);
            }
        }
    }

    /// P2.6–P2.11: each will-not-post clause should have a rule, and each rule a check.
    fn will_not_post(&mut self) {
        for clause in ["P2.6", "P2.7", "P2.8", "P2.9", "P2.10", "P2.11"] {
            if !self.policy.will_not_post.iter().any(|r| r.clause == clause) {
                let message = format!("no will-not-post rule answers to {clause}");
                self.push(Severity::Warning, clause, "will-not-post-missing", "will_not_post", message);
            }
        }
        for (i, r) in self.policy.will_not_post.iter().enumerate() {
            if r.labels.is_empty() {
                let message =
                    format!("nothing checks {:?} automatically: name the analyser labels that break it", r.text);
                self.push(
                    Severity::Info,
                    "P2.5",
                    "will-not-post-unchecked",
                    &format!("will_not_post[{i}].labels"),
                    message,
                );
            }
        }
    }

    /// P2.13: every label should have an action, and the actions should match §2.3.
    fn moderation(&mut self) {
        let moderation = &self.policy.moderation;
        for (i, r) in moderation.rules.iter().enumerate() {
            let field = format!("moderation.rules[{i}]");
            match r.action {
                None => {
                    let message = format!("`{}` has no action: delete, hide_for_review, flag or keep", r.label);
                    self.push(Severity::Error, "P2.13", "moderation-no-action", &format!("{field}.action"), message);
                }
                Some(Action::Keep) if DELETED_BY_POLICY.contains(&r.label) => {
                    let message = format!("§2.3 says `{}` comments are deleted, but this keeps them", r.label);
                    self.push(
                        Severity::Warning,
                        "P2.13",
                        "moderation-keeps-deletable",
                        &format!("{field}.action"),
                        message,
                    );
                }
                _ => {}
            }
        }
        for label in Label::ALL {
            if self.policy.moderation_rule(label).is_none() {
                let message =
                    format!("no moderation rule for `{label}`: such comments will only be flagged for a person");
                self.push(Severity::Warning, "P2.13", "moderation-label", "moderation.rules", message);
            }
        }
        let minutes = moderation.response_target_minutes;
        if minutes == 0 {
            let message = "a target of 0 minutes cannot be met when a person confirms the action".to_string();
            self.push(Severity::Warning, "P2.13", "response-target", "moderation.response_target_minutes", message);
        } else if minutes > 24 * 60 {
            let message = format!("{minutes} minutes is more than a day: hardly \"as soon as reasonably possible\"");
            self.push(Severity::Warning, "P2.13", "response-target", "moderation.response_target_minutes", message);
        }
    }

    /// P2.15: blocking repeat offenders.
    fn strikes(&mut self) {
        let strikes = &self.policy.strikes;
        match strikes.threshold {
            0 => {
                let message = "a threshold of 0 would block users before they had done anything".to_string();
                self.push(Severity::Error, "P2.15", "strike-threshold", "strikes.threshold", message);
            }
            1 => {
                let message =
                    "blocks on the first offence; the policy blocks users who are repeatedly abusive".to_string();
                self.push(Severity::Warning, "P2.15", "strike-threshold", "strikes.threshold", message);
            }
            n if n > 10 => {
                let message = format!("{n} strikes before a block is very lenient for \"repeatedly abusive\"");
                self.push(Severity::Warning, "P2.15", "strike-threshold", "strikes.threshold", message);
            }
            _ => {}
        }
        if strikes.window_days == 0 {
            let message = "a window of 0 days means strikes never add up, so no one is blocked".to_string();
            self.push(Severity::Error, "P2.15", "strike-window", "strikes.window_days", message);
        }
        if strikes.labels.is_empty() {
            let message = "no label counts as a strike, so no one is ever blocked".to_string();
            self.push(Severity::Error, "P2.15", "strike-labels", "strikes.labels", message);
        } else if !strikes.labels.contains(&Label::Abuse) {
            let message = "abuse does not count as a strike, so abusive users are never blocked".to_string();
            self.push(Severity::Warning, "P2.15", "strike-labels", "strikes.labels", message);
        }
    }

    /// P2.13 and P2.9: the lexicons the analyser gets from the school.
    fn lexicon(&mut self) {
        let deletes_ethos = self.policy.action_for(Label::Ethos).is_some_and(|a| a != Action::Keep);
        if deletes_ethos && self.policy.lexicon.ethos.is_empty() {
            let message = format!(
                "comments against the school's {} ethos are moderated, but the ethos lexicon is empty, so none are found",
                self.policy.school.ethos
            );
            self.push(Severity::Warning, "P2.13", "ethos-lexicon", "lexicon.ethos", message);
        }
        let mut seen: HashMap<String, String> = HashMap::new();
        for (kind, groups) in [("ethos", &self.policy.lexicon.ethos), ("political", &self.policy.lexicon.political)] {
            for (i, g) in groups.iter().enumerate() {
                for (j, t) in g.terms.iter().enumerate() {
                    let field = format!("lexicon.{kind}[{i}].terms[{j}]");
                    if let Some(first) = seen.insert(t.to_lowercase(), field.clone()) {
                        let message = format!("{t:?} is already listed at {first}");
                        self.push(Severity::Info, "P2.13", "lexicon-duplicate", &field, message);
                    }
                }
            }
        }
    }

    /// P2.10 and P2.11: the allow-list and the register the analyser relies on.
    fn suppliers_and_accounts(&mut self) {
        if self.policy.suppliers.is_empty() {
            let message = "no school-related suppliers are allow-listed: a post naming the uniform supplier, school \
                           photographer or PTA will be treated as advertising"
                .to_string();
            self.push(Severity::Info, "P2.10", "suppliers-empty", "suppliers", message);
        }
        if self.policy.staff_accounts.is_empty() {
            let message = "the register of staff personal accounts is empty: links to them can only be recognised \
                           as personal profiles in general"
                .to_string();
            self.push(Severity::Info, "P2.11", "staff-accounts-empty", "staff_accounts", message);
        }
    }

    /// P2.14: replies to concerns signpost the complaints policy.
    fn reply_templates(&mut self) {
        let policy = self.policy;
        if policy.reply_templates_for(ReplyPurpose::Concern).next().is_none() {
            let message =
                "no reply template for concerns: staff have no agreed words that signpost the complaints policy"
                    .to_string();
            self.push(Severity::Warning, "P2.14", "reply-template-missing", "reply_templates", message);
        }
        for (i, t) in policy.reply_templates.iter().enumerate() {
            let signposts = matches!(t.purpose, ReplyPurpose::Concern | ReplyPurpose::Complaint);
            if signposts && !t.text.to_lowercase().contains("complaint") {
                let message = format!("the `{}` reply does not mention the complaints policy", t.id);
                self.push(
                    Severity::Warning,
                    "P2.14",
                    "reply-template-signpost",
                    &format!("reply_templates[{i}].text"),
                    message,
                );
            }
        }
        let has_complaints_policy = policy
            .related_policies
            .iter()
            .any(|p| p.id == "complaints" || p.title.to_lowercase().contains("complaint"));
        if !has_complaints_policy {
            let message =
                "the complaints policy that replies to concerns signpost is not among the related policies".to_string();
            self.push(Severity::Warning, "P8.1", "complaints-policy-missing", "related_policies", message);
        }
    }

    /// P6.1: everyone the policy names is educated, first and again.
    fn training(&mut self) {
        let training = &self.policy.training;
        if training.kinds.is_empty() {
            let message = "no kinds of training or awareness: nobody is educated about the policy".to_string();
            self.push(Severity::Error, "P6.1", "training-missing", "training.kinds", message);
            return;
        }
        for (i, audience) in training.audiences.iter().enumerate() {
            if !training.kinds.iter().any(|k| k.audiences.contains(audience)) {
                let message = format!("no training or awareness reaches {}", audience.as_str());
                self.push(Severity::Warning, "P6.1", "training-audience", &format!("training.audiences[{i}]"), message);
            }
        }
        if !training.kinds.iter().any(|k| k.stage == Stage::Recurring) {
            let message = "nothing is revisited: every kind of training happens once".to_string();
            self.push(Severity::Warning, "P6.1", "training-recurring", "training.kinds", message);
        }
    }

    /// P8.1: the register of related policies.
    fn related_policies(&mut self) {
        if self.policy.related_policies.is_empty() {
            let message = "no related policies are listed".to_string();
            self.push(Severity::Warning, "P8.1", "related-policies-missing", "related_policies", message);
        }
        for (i, p) in self.policy.related_policies.iter().enumerate() {
            let field = format!("related_policies[{i}]");
            if p.owner.is_none() {
                let message = format!("{} has no owner: nobody is named to keep it up to date", p.title);
                self.push(Severity::Warning, "P8.1", "related-policy-owner", &field, message);
            }
            if p.link.is_none() {
                let message = format!("{} has no link: readers cannot find it", p.title);
                self.push(Severity::Info, "P8.1", "related-policy-link", &field, message);
            }
            if let Some(due) = p.next_review.filter(|d| *d < self.today) {
                let message = format!("{} was due for review by {}", p.title, due.long());
                self.push(
                    Severity::Warning,
                    "P8.1",
                    "related-policy-overdue",
                    &format!("{field}.next_review"),
                    message,
                );
            }
        }
    }

    /// Every clause ID in the file should be one POLICY-MAP.md defines.
    fn clauses(&mut self) {
        let policy = self.policy;
        let mut used: Vec<(String, &ClauseId)> = Vec::new();
        used.extend(
            policy.will_not_post.iter().enumerate().map(|(i, r)| (format!("will_not_post[{i}].clause"), &r.clause)),
        );
        used.extend(
            policy
                .moderation
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("moderation.rules[{i}].clause"), &r.clause)),
        );
        used.extend(
            policy.reply_templates.iter().enumerate().map(|(i, t)| (format!("reply_templates[{i}].clause"), &t.clause)),
        );
        used.extend(
            policy
                .prose
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.clause.as_ref().map(|c| (format!("prose[{i}].clause"), c))),
        );
        used.push(("following.facebook_likes.clause".into(), &policy.following.facebook_likes.clause));
        used.push(("following.x_follows.clause".into(), &policy.following.x_follows.clause));
        for (field, clause) in used {
            if !clause.is_in_policy_map() {
                let message = format!("{clause} is not a clause of the policy map");
                self.push(Severity::Warning, "P8.1", "clause-unknown", &field, message);
            }
        }
    }
}

/// Every free text in the policy a person wrote, with its field.
fn texts(policy: &Policy) -> Vec<(String, &str)> {
    let mut t = Texts(Vec::new());
    t.add("school.name", &policy.school.name);
    t.opt("school.short_name", &policy.school.short_name);
    t.add("school.ethos", &policy.school.ethos);
    t.add("approval.approved_by", &policy.approval.approved_by);
    for (i, c) in policy.channels.iter().enumerate() {
        t.opt(format!("channels[{i}].name"), &c.name);
        t.opt(format!("channels[{i}].handle"), &c.handle);
        t.opt(format!("channels[{i}].manager"), &c.manager);
    }
    for (i, s) in policy.platform_sections.iter().enumerate() {
        t.add(format!("platform_sections[{i}].title"), &s.title);
        t.opt(format!("platform_sections[{i}].will_post_heading"), &s.will_post_heading);
        t.opt(format!("platform_sections[{i}].will_not_post_heading"), &s.will_not_post_heading);
    }
    for (i, c) in policy.categories.iter().enumerate() {
        t.add(format!("categories[{i}].text"), &c.text);
        t.opt(format!("categories[{i}].examples"), &c.examples);
    }
    for (i, r) in policy.will_not_post.iter().enumerate() {
        t.add(format!("will_not_post[{i}].text"), &r.text);
    }
    t.opt("moderation.heading", &policy.moderation.heading);
    for (i, r) in policy.moderation.rules.iter().enumerate() {
        t.opt(format!("moderation.rules[{i}].text"), &r.text);
    }
    for (i, s) in policy.suppliers.iter().enumerate() {
        t.add(format!("suppliers[{i}].name"), &s.name);
    }
    t.add("following.facebook_likes.text", &policy.following.facebook_likes.text);
    t.add("following.x_follows.text", &policy.following.x_follows.text);
    for (i, k) in policy.training.kinds.iter().enumerate() {
        t.add(format!("training.kinds[{i}].title"), &k.title);
    }
    for (i, p) in policy.related_policies.iter().enumerate() {
        t.add(format!("related_policies[{i}].title"), &p.title);
        t.opt(format!("related_policies[{i}].owner"), &p.owner);
    }
    for (i, r) in policy.reply_templates.iter().enumerate() {
        t.add(format!("reply_templates[{i}].text"), &r.text);
    }
    for (i, p) in policy.prose.iter().enumerate() {
        t.opt(format!("prose[{i}].text"), &p.text);
        for (j, item) in p.items.iter().enumerate() {
            t.add(format!("prose[{i}].items[{j}]"), item);
        }
    }
    t.0
}

struct Texts<'a>(Vec<(String, &'a str)>);

impl<'a> Texts<'a> {
    fn add(&mut self, field: impl Into<String>, text: &'a str) {
        self.0.push((field.into(), text));
    }

    fn opt(&mut self, field: impl Into<String>, text: &'a Option<String>) {
        if let Some(text) = text {
            self.add(field, text);
        }
    }
}

/// Template text that was meant to be replaced: "[insert school name]", "TBC", or one of the
/// template's own instructions ("List school Facebook and X accounts…", "Add any other…").
pub fn looks_like_placeholder(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let instruction = ["list school", "add any other", "insert "].iter().any(|p| lower.starts_with(p));
    let bracketed = ["[insert", "<insert", "[name", "[school", "[add ", "[enter"].iter().any(|p| lower.contains(p));
    let marker = words(&lower).iter().any(|w| matches!(w.as_str(), "tbc" | "tbd" | "todo" | "xxx" | "fixme"));
    instruction || bracketed || marker
}

/// Lower-case words of a text: runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

fn normalise_handle(handle: &str) -> String {
    handle.trim_start_matches('@').to_lowercase()
}

fn url_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    host.split(':').next().unwrap_or("").to_lowercase()
}

/// Two addresses of the same page compare equal: scheme, `www.`, case and trailing `/` ignored.
fn normalise_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r).to_lowercase();
    let rest = rest.strip_prefix("www.").unwrap_or(&rest);
    rest.trim_end_matches('/').to_string()
}
