//! From the file as written to a [`Policy`] the rest of Gatehouse can rely on.
//!
//! Two steps, as ripgrep does with its flags: serde checks the shape (types, names, required
//! fields) and stops at the first problem, because after a shape error the rest cannot be read
//! reliably; then the checks here look at meaning (duplicate ids, a review due before the last one,
//! a score of 7) and report every problem at once, so a governor fixes the file in one pass.
//!
//! What is merely unwise rather than unusable (a review overdue, a channel without a manager) is
//! not an error: the linter reports it.

use std::collections::HashSet;

use crate::error::{Diagnostic, ParseError};
use crate::model::{Channel, Placeholder, Policy, Prose, Review, Supplier, TermGroup, Training};
use crate::schema::{self, ChannelEntry, PolicyFile};
use crate::source::SourceMap;

/// Parse and validate a policy file. `file` is only used in messages.
pub fn parse(source: &str, file: &str) -> Result<Policy, ParseError> {
    let map = SourceMap::new(file, source);
    let raw: PolicyFile = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(err) => return Err(ParseError { diagnostics: vec![shape_error(&map, &err)] }),
    };
    let mut v = Validator { map, problems: Vec::new() };
    let policy = v.policy(raw);
    if v.problems.is_empty() { Ok(policy) } else { Err(ParseError { diagnostics: v.problems }) }
}

/// A serde or syntax error, placed and named through the source map.
fn shape_error(map: &SourceMap, err: &toml::de::Error) -> Diagnostic {
    let problem = err.message().trim().replace('\n', "; ");
    let span = err.span();
    let location =
        span.as_ref().map_or(crate::source::Location { line: 1, column: 1 }, |s| map.location_of_offset(s.start));
    let path = span.as_ref().and_then(|s| map.path_at(s)).map(str::to_string);
    let field = match (path, missing_field(&problem)) {
        // A missing field's span is its table; name the field itself.
        (Some(table), Some(name)) if !table.is_empty() => format!("{table}.{name}"),
        (_, Some(name)) => name.to_string(),
        (Some(path), None) if !path.is_empty() => path,
        // No document tree means the file is not valid TOML.
        _ => "TOML syntax".to_string(),
    };
    Diagnostic { file: map.file().to_string(), location, field, problem }
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

struct Validator {
    map: SourceMap,
    problems: Vec<Diagnostic>,
}

impl Validator {
    fn problem(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        let field = field.into();
        self.problems.push(Diagnostic {
            file: self.map.file().to_string(),
            location: self.map.locate(&field),
            field,
            problem: problem.into(),
        });
    }

    fn policy(&mut self, raw: PolicyFile) -> Policy {
        if raw.format != schema::FORMAT {
            self.problem(
                "format",
                format!("this version of Gatehouse reads format {}, not {}", schema::FORMAT, raw.format),
            );
        }
        self.not_blank("school.name", &raw.school.name);
        self.not_blank("school.ethos", &raw.school.ethos);
        self.not_blank("approval.approved_by", &raw.approval.approved_by);
        self.review(&raw.review);
        let (channels, placeholders) = self.channels(raw.channels);
        self.unique("platform_sections", "platform", raw.platform_sections.iter().map(|s| s.platform.as_str()));
        for (i, s) in raw.platform_sections.iter().enumerate() {
            self.not_blank(format!("platform_sections[{i}].title"), &s.title);
        }
        self.ids("categories", raw.categories.iter().map(|c| c.id.as_str()));
        for (i, c) in raw.categories.iter().enumerate() {
            self.not_blank(format!("categories[{i}].text"), &c.text);
        }
        self.ids("will_not_post", raw.will_not_post.iter().map(|r| r.id.as_str()));
        for (i, r) in raw.will_not_post.iter().enumerate() {
            self.not_blank(format!("will_not_post[{i}].text"), &r.text);
        }
        self.unique("moderation.rules", "label", raw.moderation.rules.iter().map(|r| r.label.as_str()));
        self.unique("strikes.labels", "", raw.strikes.labels.iter().map(|l| l.as_str()));
        self.term_groups("lexicon.ethos", &raw.lexicon.ethos);
        self.term_groups("lexicon.political", &raw.lexicon.political);
        self.suppliers(&raw.suppliers);
        for (i, s) in raw.staff_accounts.iter().enumerate() {
            self.not_blank(format!("staff_accounts[{i}].staff"), &s.staff);
            if s.accounts.is_empty() {
                self.problem(format!("staff_accounts[{i}].accounts"), "list at least one handle or profile URL");
            }
            for (j, a) in s.accounts.iter().enumerate() {
                self.handle_or_url(format!("staff_accounts[{i}].accounts[{j}]"), a);
            }
        }
        self.not_blank("following.facebook_likes.text", &raw.following.facebook_likes.text);
        self.not_blank("following.x_follows.text", &raw.following.x_follows.text);
        self.training(&raw.training);
        self.ids("related_policies", raw.related_policies.iter().map(|p| p.id.as_str()));
        for (i, p) in raw.related_policies.iter().enumerate() {
            self.not_blank(format!("related_policies[{i}].title"), &p.title);
            if let Some(link) = &p.link {
                self.url(format!("related_policies[{i}].link"), link);
            }
        }
        self.ids("reply_templates", raw.reply_templates.iter().map(|t| t.id.as_str()));
        for (i, t) in raw.reply_templates.iter().enumerate() {
            self.not_blank(format!("reply_templates[{i}].text"), &t.text);
        }
        self.prose(&raw.prose);
        Policy {
            school: raw.school,
            approval: raw.approval,
            review: raw.review,
            channels,
            placeholders,
            platform_sections: raw.platform_sections,
            categories: raw.categories,
            will_not_post: raw.will_not_post,
            moderation: raw.moderation,
            strikes: raw.strikes,
            lexicon: raw.lexicon,
            suppliers: raw.suppliers,
            staff_accounts: raw.staff_accounts,
            following: raw.following,
            training: raw.training,
            related_policies: raw.related_policies,
            reply_templates: raw.reply_templates,
            prose: raw.prose,
            source: self.map.clone(),
        }
    }

    fn review(&mut self, review: &Review) {
        if review.interval_months == 0 {
            self.problem("review.interval_months", "must be at least 1 (the seed says annually: 12)");
        }
        if review.next_review <= review.last_reviewed {
            self.problem(
                "review.next_review",
                format!("{} is not after the last review ({})", review.next_review, review.last_reviewed),
            );
        }
    }

    /// Split channel lines into channels and unfilled template lines.
    fn channels(&mut self, entries: Vec<ChannelEntry>) -> (Vec<Channel>, Vec<Placeholder>) {
        let mut channels = Vec::new();
        let mut placeholders = Vec::new();
        for (i, e) in entries.into_iter().enumerate() {
            let path = format!("channels[{i}]");
            if let Some(text) = e.placeholder {
                let filled = e.platform.is_some() || e.handle.is_some() || e.url.is_some() || e.status.is_some();
                if filled {
                    self.problem(
                        format!("{path}.placeholder"),
                        "a channel line is either the template's placeholder or a channel; remove the placeholder once the channel is filled in",
                    );
                }
                self.not_blank(format!("{path}.placeholder"), &text);
                placeholders.push(Placeholder { field: path, text });
                continue;
            }
            let Some(platform) = e.platform else {
                self.problem(format!("{path}.platform"), "missing: facebook_page, x_account, whatsapp_group or other");
                continue;
            };
            let Some(status) = e.status else {
                self.problem(format!("{path}.status"), "missing: active, planned, suspended or closed");
                continue;
            };
            if let Some(handle) = &e.handle {
                self.handle(format!("{path}.handle"), handle);
            }
            if let Some(url) = &e.url {
                self.url(format!("{path}.url"), url);
            }
            for (field, value) in [("name", &e.name), ("manager", &e.manager)] {
                if let Some(value) = value {
                    self.not_blank(format!("{path}.{field}"), value);
                }
            }
            channels.push(Channel {
                platform,
                name: e.name,
                handle: e.handle,
                url: e.url,
                status,
                manager: e.manager,
                moderators: e.moderators,
            });
        }
        (channels, placeholders)
    }

    fn term_groups(&mut self, path: &str, groups: &[TermGroup]) {
        for (i, g) in groups.iter().enumerate() {
            let at = format!("{path}[{i}]");
            self.id(format!("{at}.category"), &g.category);
            if !(0.0..=1.0).contains(&g.score) {
                self.problem(format!("{at}.score"), format!("{} is not a score from 0 to 1", g.score));
            }
            if g.terms.is_empty() {
                self.problem(format!("{at}.terms"), "list at least one term");
            }
            for (j, t) in g.terms.iter().enumerate() {
                if t.trim_matches('*').trim().is_empty() {
                    self.problem(format!("{at}.terms[{j}]"), "a term needs some words besides `*`");
                } else if t.contains(['\t', '\n', '\r']) {
                    self.problem(format!("{at}.terms[{j}]"), "a term cannot contain tabs or line breaks");
                } else if t.trim() != t {
                    self.problem(format!("{at}.terms[{j}]"), "remove the spaces around the term");
                }
            }
        }
    }

    fn suppliers(&mut self, suppliers: &[Supplier]) {
        for (i, s) in suppliers.iter().enumerate() {
            self.not_blank(format!("suppliers[{i}].name"), &s.name);
            for (j, d) in s.domains.iter().enumerate() {
                let ok = d.contains('.')
                    && !d.starts_with('.')
                    && !d.ends_with('.')
                    && d.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
                if !ok {
                    self.problem(
                        format!("suppliers[{i}].domains[{j}]"),
                        format!("{d:?} is not a web domain such as example-uniforms.co.uk (no https://, no path)"),
                    );
                }
            }
        }
    }

    fn training(&mut self, training: &Training) {
        self.ids("training.kinds", training.kinds.iter().map(|k| k.id.as_str()));
        for (i, k) in training.kinds.iter().enumerate() {
            self.not_blank(format!("training.kinds[{i}].title"), &k.title);
            if k.audiences.is_empty() {
                self.problem(format!("training.kinds[{i}].audiences"), "name at least one audience");
            }
            if k.every_months == Some(0) {
                self.problem(format!("training.kinds[{i}].every_months"), "must be at least 1");
            }
        }
    }

    fn prose(&mut self, prose: &[Prose]) {
        for (i, p) in prose.iter().enumerate() {
            let has_text = p.text.as_deref().is_some_and(|t| !t.trim().is_empty());
            if !has_text && p.items.is_empty() {
                self.problem(format!("prose[{i}]"), "give a paragraph (text) or a list (items), or both");
            }
            for (j, item) in p.items.iter().enumerate() {
                self.not_blank(format!("prose[{i}].items[{j}]"), item);
            }
        }
    }

    fn not_blank(&mut self, field: impl Into<String>, value: &str) {
        if value.trim().is_empty() {
            self.problem(field, "must not be empty");
        }
    }

    /// Stable names: lower-case ASCII letters, digits and underscores, starting with a letter.
    fn id(&mut self, field: String, id: &str) {
        let ok = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            self.problem(field, format!("{id:?} is not a name like `event_adverts` (lower-case letters, digits, _)"));
        }
    }

    fn ids<'a>(&mut self, path: &str, ids: impl Iterator<Item = &'a str> + Clone) {
        for (i, id) in ids.clone().enumerate() {
            self.id(format!("{path}[{i}].id"), id);
        }
        self.unique(path, "id", ids);
    }

    /// Report each value that an earlier element already has. `field` is the element's field that
    /// holds it, or empty when the elements are the values.
    fn unique<'a>(&mut self, path: &str, field: &str, values: impl Iterator<Item = &'a str>) {
        let mut seen = HashSet::new();
        for (i, v) in values.enumerate() {
            if !seen.insert(v) {
                let at = if field.is_empty() { format!("{path}[{i}]") } else { format!("{path}[{i}].{field}") };
                self.problem(at, format!("{v:?} appears more than once"));
            }
        }
    }

    fn handle(&mut self, field: String, handle: &str) {
        let name = handle.strip_prefix('@').unwrap_or(handle);
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '/') {
            self.problem(
                field,
                format!("{handle:?} is not a username: no spaces or slashes (put web addresses in url)"),
            );
        }
    }

    fn url(&mut self, field: String, url: &str) {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        let host_ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
        if !host_ok || url.chars().any(char::is_whitespace) {
            self.problem(field, format!("{url:?} is not a web address: it starts https:// and has no spaces"));
        }
    }

    fn handle_or_url(&mut self, field: String, value: &str) {
        if value.starts_with("http://") || value.starts_with("https://") {
            self.url(field, value);
        } else {
            self.handle(field, value);
        }
    }
}
