//! From a [`Policy`] to the document's tree, section by section in the seed's order.

use crate::clause::ClauseId;
use crate::model::{
    Action, Channel, ChannelStatus, Exception, Platform, Policy, ProseSection, Stage, TermGroup, WillNotPost,
};
use crate::render::doc::{Block, Document, Inline, Line, Section, text};

pub fn document(policy: &Policy) -> Document {
    Document {
        title: "Social media policy".to_string(),
        subtitle: policy.school.name.clone(),
        cover: cover(policy),
        sections: vec![
            purpose(policy),
            official(policy),
            prose_section(policy, "3", "Personal use of social media by staff", ProseSection::Staff),
            prose_section(policy, "4", "Personal use of social media by pupils", ProseSection::Pupils),
            parents(policy),
            training(policy),
            monitoring(policy),
            related(policy),
        ],
    }
}

fn cover(policy: &Policy) -> Vec<(String, String)> {
    vec![
        ("Approved by".into(), policy.approval.approved_by.clone()),
        ("Date".into(), policy.approval.date.long()),
        ("Last reviewed on".into(), policy.review.last_reviewed.long()),
        ("Next review due by".into(), policy.review.next_review.long()),
    ]
}

fn clause(id: &ClauseId) -> Inline {
    Inline::Clause(id.to_string())
}

fn known(id: &'static str) -> Inline {
    Inline::Clause(id.to_string())
}

/// A line of text followed by its clause, if it has one.
fn with_clause(words: &str, id: Option<&ClauseId>) -> Line {
    let mut line = vec![text(words)];
    line.extend(id.map(clause));
    line
}

/// The file's running text for one section, each block a paragraph and/or a list.
fn prose(policy: &Policy, section: ProseSection) -> Vec<Block> {
    let mut blocks = Vec::new();
    for p in policy.prose_for(section) {
        let lead = p.text.as_deref().filter(|t| !t.trim().is_empty());
        if let Some(lead) = lead {
            blocks.push(Block::Paragraph(with_clause(lead, p.clause.as_ref())));
        }
        if !p.items.is_empty() {
            // With no lead-in to carry the clause, each item carries it.
            let item_clause = if lead.is_none() { p.clause.as_ref() } else { None };
            blocks.push(Block::List(p.items.iter().map(|i| with_clause(i, item_clause)).collect()));
        }
    }
    blocks
}

fn prose_section(policy: &Policy, number: &str, title: &str, section: ProseSection) -> Section {
    let mut s = Section::new(number, title);
    s.blocks = prose(policy, section);
    s
}

fn purpose(policy: &Policy) -> Section {
    let mut s = prose_section(policy, "1", "Purpose and scope", ProseSection::Scope);
    s.subsections.push(prose_section(policy, "1.1", "Definition of social media", ProseSection::Definition));
    s
}

fn official(policy: &Policy) -> Section {
    let mut s = Section::new("2", "Use of official school social media");
    s.blocks.push(Block::Paragraph(vec![
        text("The school's official social media channels are as follows:"),
        known("P2.1"),
    ]));
    let mut items: Vec<Line> = policy.channels.iter().map(channel).collect();
    items.extend(
        policy
            .placeholders
            .iter()
            .map(|p| vec![Inline::Strong("Not yet filled in:".into()), text(format!(" {}", p.text))]),
    );
    if items.is_empty() {
        items.push(vec![text("No channels are listed.")]);
    }
    s.blocks.push(Block::List(items));
    s.blocks.extend(prose(policy, ProseSection::OfficialChannels));
    for (i, section) in policy.platform_sections.iter().enumerate() {
        let mut sub = Section::new(format!("2.{}", i + 1), section.title.clone());
        if let Some(heading) = &section.will_post_heading {
            sub.blocks.push(Block::Paragraph(vec![text(heading)]));
        }
        sub.blocks.push(Block::List(
            policy.categories.iter().map(|c| category_line(&c.text, c.examples.as_deref())).collect(),
        ));
        if let Some(heading) = &section.will_not_post_heading {
            sub.blocks.push(Block::Paragraph(vec![text(heading)]));
        }
        sub.blocks.push(Block::List(policy.will_not_post.iter().map(|r| will_not_post(policy, r)).collect()));
        s.subsections.push(sub);
    }
    let next = policy.platform_sections.len();
    s.subsections.push(moderation(policy, format!("2.{}", next + 1)));
    s.subsections.push(following(policy, format!("2.{}", next + 2)));
    s
}

fn channel(c: &Channel) -> Line {
    let mut words = c.platform.display_name().to_string();
    if let Some(name) = &c.name {
        words.push_str(&format!(": {name}"));
    }
    if let Some(handle) = &c.handle {
        let at = if handle.starts_with('@') { handle.clone() } else { format!("@{handle}") };
        words.push_str(&format!(" ({at})"));
    }
    let mut line = vec![text(words)];
    if let Some(url) = &c.url {
        line.push(text(" – "));
        line.push(Inline::Link { text: url.clone(), href: url.clone() });
    }
    let mut tail = String::new();
    if c.status != ChannelStatus::Active {
        tail.push_str(&format!(" ({})", c.status.as_str()));
    }
    if let Some(manager) = &c.manager {
        tail.push_str(&format!(", managed by the {manager}"));
    }
    if !c.moderators.is_empty() {
        tail.push_str(&format!(", moderated by {}", c.moderators.join(", ")));
    }
    if !tail.is_empty() {
        line.push(text(tail));
    }
    line
}

fn category_line(words: &str, examples: Option<&str>) -> Line {
    let words = match examples {
        Some(e) => format!("{words} (e.g. {e})"),
        None => words.to_string(),
    };
    vec![text(words), known("P2.5")]
}

fn will_not_post(policy: &Policy, rule: &WillNotPost) -> Line {
    let mut line = vec![text(&rule.text), clause(&rule.clause)];
    // Say who counts as "directly related to the school", so the published rule is the enforced one.
    if rule.unless == Some(Exception::SchoolRelated) && !policy.suppliers.is_empty() {
        let names: Vec<&str> = policy.suppliers.iter().map(|s| s.name.as_str()).collect();
        line.push(text(format!(" – directly related to the school: {}", names.join(", "))));
    }
    line
}

fn moderation(policy: &Policy, number: String) -> Section {
    let mut s = Section::new(number, "Moderation");
    let m = &policy.moderation;
    if let Some(heading) = &m.heading {
        s.blocks.push(Block::Paragraph(vec![text(heading)]));
    }
    let (deleted, other): (Vec<_>, Vec<_>) = m.rules.iter().partition(|r| r.action == Some(Action::Delete));
    let mut listed: Vec<Line> = Vec::new();
    for r in &deleted {
        // The seed gives commercial posts and donation requests one line; show it once.
        let words = r.text.clone().unwrap_or_else(|| r.label.to_string());
        if !listed.iter().any(|l| l.first() == Some(&text(&words))) {
            listed.push(vec![text(words), clause(&r.clause)]);
        }
    }
    if !listed.is_empty() {
        s.blocks.push(Block::List(listed));
    }
    if !other.is_empty() {
        s.blocks.push(Block::Paragraph(vec![text("Other comments are handled as follows:")]));
        let lines = other.iter().map(|r| {
            let what =
                r.text.clone().unwrap_or_else(|| format!("Comments labelled {}", r.label.as_str().replace('_', " ")));
            let how = r.action.map_or("decided by a member of staff", |a| a.describe());
            vec![text(format!("{what}: {how}")), clause(&r.clause)]
        });
        s.blocks.push(Block::List(lines.collect()));
    }
    if !policy.lexicon.ethos.is_empty() {
        let words = format!(
            "To find posts and comments against our {} ethos, we look for words about {}.",
            policy.school.ethos,
            categories(&policy.lexicon.ethos)
        );
        s.blocks.push(Block::Paragraph(vec![text(words), known("P2.13")]));
    }
    let minutes = m.response_target_minutes;
    s.blocks.push(Block::Paragraph(vec![
        text(format!("We aim to act on a comment within {} of its arrival.", duration(minutes))),
        known("P2.13"),
    ]));
    s.blocks.extend(prose(policy, ProseSection::Moderation));
    let st = &policy.strikes;
    let confirm = if st.headteacher_confirms { ", once the headteacher confirms it" } else { "" };
    let words = format!(
        "A user whose comments break these rules {} times within {} days is blocked{confirm}.",
        st.threshold, st.window_days
    );
    s.blocks.push(Block::Paragraph(vec![text(words), known("P2.15")]));
    let templates: Vec<Line> = policy
        .reply_templates
        .iter()
        .filter(|t| t.purpose != crate::model::ReplyPurpose::Behaviour)
        .map(|t| vec![text(&t.text), clause(&t.clause)])
        .collect();
    if !templates.is_empty() {
        s.blocks.push(Block::Paragraph(vec![text("When someone raises a concern on our channels, we reply:")]));
        s.blocks.extend(templates.into_iter().map(Block::Quote));
    }
    s
}

/// "alcohol, gambling, pork and mockery of faith", each category once, in file order.
fn categories(groups: &[TermGroup]) -> String {
    let mut names: Vec<String> = Vec::new();
    for g in groups {
        let name = g.category.replace('_', " ");
        if !names.contains(&name) {
            names.push(name);
        }
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn duration(minutes: u32) -> String {
    match minutes {
        1 => "1 minute".into(),
        m if m % 60 == 0 && m >= 60 => match m / 60 {
            1 => "1 hour".into(),
            h => format!("{h} hours"),
        },
        m => format!("{m} minutes"),
    }
}

fn following(policy: &Policy, number: String) -> Section {
    let mut s = Section::new(number, "Following other social media users");
    s.blocks.extend(prose(policy, ProseSection::Following));
    let f = &policy.following;
    s.blocks.push(Block::List(vec![
        vec![text(&f.facebook_likes.text), clause(&f.facebook_likes.clause)],
        vec![text(&f.x_follows.text), clause(&f.x_follows.clause)],
    ]));
    s
}

fn parents(policy: &Policy) -> Section {
    let mut s = prose_section(policy, "5", "Personal use of social media by parents/carers", ProseSection::Parents);
    let mut sub = prose_section(policy, "5.1", "WhatsApp groups", ProseSection::Whatsapp);
    let groups: Vec<Line> =
        policy.channels.iter().filter(|c| c.platform == Platform::WhatsappGroup).map(channel).collect();
    if !groups.is_empty() {
        sub.blocks.push(Block::Paragraph(vec![text("Our official WhatsApp groups:"), known("P5.2")]));
        sub.blocks.push(Block::List(groups));
    }
    s.subsections.push(sub);
    s
}

fn training(policy: &Policy) -> Section {
    let mut s = prose_section(policy, "6", "Training and awareness", ProseSection::Training);
    let kinds = policy.training.kinds.iter().map(|k| {
        let audiences: Vec<&str> = k.audiences.iter().map(|a| a.as_str()).collect();
        let when = match (k.stage, k.every_months) {
            (Stage::Initial, _) => "initially".to_string(),
            (Stage::Recurring, Some(1)) => "every month".to_string(),
            (Stage::Recurring, Some(n)) => format!("every {n} months"),
            (Stage::Recurring, None) => "revisited regularly".to_string(),
        };
        vec![text(format!("{}: {}, {when}", k.title, audiences.join(", "))), known("P6.1")]
    });
    s.blocks.push(Block::List(kinds.collect()));
    s
}

fn monitoring(policy: &Policy) -> Section {
    let mut s = prose_section(policy, "7", "Monitoring and review", ProseSection::Monitoring);
    let r = &policy.review;
    let how_often = match r.interval_months {
        12 => "annually".to_string(),
        1 => "every month".to_string(),
        n => format!("every {n} months"),
    };
    let words = format!(
        "This policy will be reviewed {how_often}. It was last reviewed on {}, approved by the {} on {}, and is next due for review by {}.",
        r.last_reviewed.long(),
        policy.approval.approved_by,
        policy.approval.date.long(),
        r.next_review.long()
    );
    s.blocks.push(Block::Paragraph(vec![text(words), known("P7.3")]));
    s
}

fn related(policy: &Policy) -> Section {
    let mut s = Section::new("8", "Related policies");
    let items = policy.related_policies.iter().map(|p| {
        let mut line = match &p.link {
            Some(link) => vec![Inline::Link { text: p.title.clone(), href: link.clone() }],
            None => vec![text(&p.title)],
        };
        let mut details = Vec::new();
        if let Some(owner) = &p.owner {
            details.push(format!("owner: {owner}"));
        }
        if let Some(due) = p.next_review {
            details.push(format!("next review due by {}", due.long()));
        }
        if !details.is_empty() {
            line.push(text(format!(" ({})", details.join("; "))));
        }
        line.push(known("P8.1"));
        line
    });
    s.blocks.push(Block::List(items.collect()));
    s
}
