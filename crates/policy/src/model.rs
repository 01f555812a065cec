//! The policy as the rest of Gatehouse sees it: validated, typed, in the order the file gives.
//!
//! Most of these types are also what the file deserialises into (the file's layout is theirs, see
//! `examples/dar-ul-madinah/policy.toml`); [`crate::schema`] holds the few places where what a person
//! writes differs from what the program needs, such as a channel line that is still the template's
//! instruction rather than a channel.

use analyse::Label;
use serde::Deserialize;

use crate::clause::ClauseId;
use crate::date::Date;
use crate::source::{Location, SourceMap};

/// One school's social media policy.
#[derive(Clone, Debug)]
pub struct Policy {
    pub school: School,
    pub approval: Approval,
    pub review: Review,
    /// The official channels (P2.1), in file order. Unfilled template lines are in `placeholders`.
    pub channels: Vec<Channel>,
    /// Lines of the template that were never filled in, with the field that holds them.
    pub placeholders: Vec<Placeholder>,
    /// §2.1, §2.2…: one section per platform, with the headings the document gives it (P2.12).
    pub platform_sections: Vec<PlatformSection>,
    /// What the school will post (P2.5). Every outgoing post carries one of these.
    pub categories: Vec<Category>,
    /// What the school will not post (P2.6–P2.11).
    pub will_not_post: Vec<WillNotPost>,
    /// What happens to comments (P2.13).
    pub moderation: Moderation,
    /// When a repeatedly abusive user is blocked (P2.15).
    pub strikes: Strikes,
    pub lexicon: Lexicon,
    /// School-related suppliers that may be named without counting as advertising (P2.10).
    pub suppliers: Vec<Supplier>,
    /// Staff personal accounts that must never be linked (P2.11).
    pub staff_accounts: Vec<StaffAccount>,
    pub following: Following,
    pub training: Training,
    pub related_policies: Vec<RelatedPolicy>,
    /// Replies that signpost the complaints route (P2.14).
    pub reply_templates: Vec<ReplyTemplate>,
    /// The policy's running text, placed in the document by section.
    pub prose: Vec<Prose>,
    pub(crate) source: SourceMap,
}

impl Policy {
    /// The file name the policy was parsed from.
    pub fn file(&self) -> &str {
        self.source.file()
    }

    /// Where a field (a dotted path such as `moderation.rules[2].action`) is in the file; a field the
    /// file leaves out is placed at its nearest ancestor.
    pub fn locate(&self, field: &str) -> Location {
        self.source.locate(field)
    }

    /// The moderation rule for a label, if the policy has one.
    pub fn moderation_rule(&self, label: Label) -> Option<&ModerationRule> {
        self.moderation.rules.iter().find(|r| r.label == label)
    }

    /// What to do with a comment that carries this label. `None` when the policy does not say,
    /// which the linter reports; callers should treat it as [`Action::Flag`] (a person decides).
    pub fn action_for(&self, label: Label) -> Option<Action> {
        self.moderation_rule(label).and_then(|r| r.action)
    }

    /// How soon a comment must be acted on, in minutes (P2.13 "as soon as reasonably possible").
    pub fn response_target_minutes(&self) -> u32 {
        self.moderation.response_target_minutes
    }

    /// Whether a comment acted on for this label counts towards blocking its author (P2.15).
    pub fn counts_as_strike(&self, label: Label) -> bool {
        self.strikes.labels.contains(&label)
    }

    /// The post category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The will-not-post rules that a finding with this label breaks, for outgoing posts.
    pub fn will_not_post_for(&self, label: Label) -> impl Iterator<Item = &WillNotPost> {
        self.will_not_post.iter().filter(move |r| r.labels.contains(&label))
    }

    /// The section of §2 for a platform, if the policy has one.
    pub fn platform_section(&self, platform: Platform) -> Option<&PlatformSection> {
        self.platform_sections.iter().find(|s| s.platform == platform)
    }

    /// Prose blocks for one section of the document, in file order.
    pub fn prose_for(&self, section: ProseSection) -> impl Iterator<Item = &Prose> {
        self.prose.iter().filter(move |p| p.section == section)
    }

    /// The reply templates for one purpose.
    pub fn reply_templates_for(&self, purpose: ReplyPurpose) -> impl Iterator<Item = &ReplyTemplate> {
        self.reply_templates.iter().filter(move |t| t.purpose == purpose)
    }
}

/// The school the policy belongs to.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    pub name: String,
    /// How the policy refers to the school in running text ("Dar ul Madinah").
    #[serde(default)]
    pub short_name: Option<String>,
    /// The school's religious character or ethos, in words ("Islamic").
    pub ethos: String,
}

impl School {
    pub fn short_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// Who approved this version and when (P7.3).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub approved_by: String,
    pub date: Date,
}

/// When the policy was last reviewed and is next due (P7.3).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub last_reviewed: Date,
    /// "This policy will be reviewed annually": 12.
    pub interval_months: u32,
    pub next_review: Date,
    /// Who monitors the policy's implementation (P7.2).
    #[serde(default)]
    pub monitored_by: Option<String>,
}

/// Where an official channel lives (P1.4: group messaging counts as social media).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    FacebookPage,
    XAccount,
    WhatsappGroup,
    Other,
}

impl Platform {
    pub const ALL: [Platform; 4] =
        [Platform::FacebookPage, Platform::XAccount, Platform::WhatsappGroup, Platform::Other];

    /// The name used in the policy file.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::FacebookPage => "facebook_page",
            Platform::XAccount => "x_account",
            Platform::WhatsappGroup => "whatsapp_group",
            Platform::Other => "other",
        }
    }

    /// The name a reader knows.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::FacebookPage => "Facebook Page",
            Platform::XAccount => "X (formerly Twitter) account",
            Platform::WhatsappGroup => "WhatsApp group",
            Platform::Other => "Other channel",
        }
    }

    /// The platform's everyday name.
    pub fn short_name(self) -> &'static str {
        match self {
            Platform::FacebookPage => "Facebook",
            Platform::XAccount => "X",
            Platform::WhatsappGroup => "WhatsApp",
            Platform::Other => "another platform",
        }
    }

    /// Words that name this platform in a heading, lower case.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Platform::FacebookPage => &["facebook"],
            Platform::XAccount => &["x", "twitter"],
            Platform::WhatsappGroup => &["whatsapp"],
            Platform::Other => &[],
        }
    }

    /// Web hosts a channel of this platform lives on.
    pub fn hosts(self) -> &'static [&'static str] {
        match self {
            Platform::FacebookPage => &["facebook.com", "www.facebook.com", "m.facebook.com", "fb.com"],
            Platform::XAccount => &["x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"],
            Platform::WhatsappGroup => &["chat.whatsapp.com", "whatsapp.com", "www.whatsapp.com"],
            Platform::Other => &[],
        }
    }
}

/// Whether a channel is in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelStatus {
    /// In use: posts go out and comments are moderated.
    Active,
    /// Agreed but not yet opened.
    Planned,
    /// Kept but not posted to for now.
    Suspended,
    /// No longer used; listed so links to it are still recognised as the school's.
    Closed,
}

impl ChannelStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelStatus::Active => "active",
            ChannelStatus::Planned => "planned",
            ChannelStatus::Suspended => "suspended",
            ChannelStatus::Closed => "closed",
        }
    }
}

/// One official channel (P2.1).
#[derive(Clone, Debug, PartialEq)]
pub struct Channel {
    pub platform: Platform,
    /// A reader's name for it ("Year 6 parents").
    pub name: Option<String>,
    /// The username, with or without `@`.
    pub handle: Option<String>,
    pub url: Option<String>,
    pub status: ChannelStatus,
    /// Who manages it (P2.2: the headteacher).
    pub manager: Option<String>,
    /// Who else may moderate it (P5.2: WhatsApp groups have moderators).
    pub moderators: Vec<String>,
}

/// A line of the template that was never filled in (the seed's "List school Facebook and X
/// (formerly Twitter) accounts, including usernames").
#[derive(Clone, Debug, PartialEq)]
pub struct Placeholder {
    /// The dotted path of the entry that holds it.
    pub field: String,
    pub text: String,
}

/// One platform's subsection of §2 and its headings, kept as the document has them (P2.12).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformSection {
    pub platform: Platform,
    /// "Facebook", "X (formerly Twitter)".
    pub title: String,
    /// "The school will post on Facebook:". The seed's §2.2 has none.
    #[serde(default)]
    pub will_post_heading: Option<String>,
    /// "The school will not post on Facebook:". The seed's §2.2 says Facebook by mistake.
    #[serde(default)]
    pub will_not_post_heading: Option<String>,
}

/// Something the school will post (P2.5).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable name used by drafts and reports (`alerts`).
    pub id: String,
    /// The line of the policy ("Alerts about changes").
    pub text: String,
    /// The policy's examples, without "e.g.".
    #[serde(default)]
    pub examples: Option<String>,
}

/// When a will-not-post rule does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exception {
    /// Every person named or shown has consented (P2.6).
    Consent,
    /// The business is directly related to the school: an allow-listed supplier (P2.10).
    SchoolRelated,
}

/// Something the school will not post (P2.6–P2.11).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WillNotPost {
    /// Stable name (`names_and_photos`).
    pub id: String,
    pub clause: ClauseId,
    /// The line of the policy.
    pub text: String,
    /// The analyser labels whose findings break this rule in an outgoing post.
    #[serde(default)]
    pub labels: Vec<Label>,
    #[serde(default)]
    pub unless: Option<Exception>,
}

/// What happens to a comment (P2.13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Delete from the platform as soon as reasonably possible.
    Delete,
    /// Hide at once (where the platform allows) and queue for a person to decide.
    HideForReview,
    /// Leave visible and queue for a person to look at.
    Flag,
    /// Leave it: the label is noted and nothing else is done.
    Keep,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::HideForReview => "hide_for_review",
            Action::Flag => "flag",
            Action::Keep => "keep",
        }
    }

    /// How the rendered policy says it.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Delete => "deleted",
            Action::HideForReview => "hidden and reviewed",
            Action::Flag => "flagged for review",
            Action::Keep => "left visible",
        }
    }
}

/// §2.3 Moderation.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moderation {
    /// "Staff responsible for our social media accounts will delete as soon as reasonably possible:".
    #[serde(default)]
    pub heading: Option<String>,
    /// Minutes from a comment's arrival to action.
    pub response_target_minutes: u32,
    #[serde(default)]
    pub rules: Vec<ModerationRule>,
}

/// Label → action.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationRule {
    pub label: Label,
    /// `None` when the file names the label but not yet what to do (the linter reports it).
    #[serde(default)]
    pub action: Option<Action>,
    pub clause: ClauseId,
    /// The line of the policy this rule enforces.
    #[serde(default)]
    pub text: Option<String>,
}

/// Blocking repeatedly abusive or inappropriate users (P2.15).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strikes {
    /// Strikes within the window at which the user is blocked.
    pub threshold: u32,
    pub window_days: u32,
    /// The labels that count as a strike when the comment is acted on.
    pub labels: Vec<Label>,
    /// Whether the headteacher confirms each block before it happens.
    #[serde(default)]
    pub headteacher_confirms: bool,
}

/// The school's own terms for the analyser.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    /// Against the school's religious ethos (P2.13); each group's category becomes the finding's kind.
    #[serde(default)]
    pub ethos: Vec<TermGroup>,
    /// Additions to the political lexicon (P2.9); the category only organises the file.
    #[serde(default)]
    pub political: Vec<TermGroup>,
}

/// Terms that share a category and a score. Terms use the analyser's lexicon syntax: whole words,
/// `term*` for words starting with it, `*term` ending with it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermGroup {
    pub category: String,
    /// How strongly a match alone indicates the label, 0–1.
    #[serde(default = "default_score")]
    pub score: f32,
    pub terms: Vec<String>,
}

fn default_score() -> f32 {
    0.7
}

/// What sort of school-related supplier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplierKind {
    Uniform,
    Photographer,
    Pta,
    Catering,
    Other,
}

/// A business directly related to the school (P2.10).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supplier {
    pub name: String,
    pub kind: SupplierKind,
    /// Web domains (`example-uniforms.co.uk`).
    #[serde(default)]
    pub domains: Vec<String>,
}

/// A member of staff's personal accounts, which the school must never link to (P2.11).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffAccount {
    pub staff: String,
    /// Handles or profile URLs.
    pub accounts: Vec<String>,
}

/// §2.4 Following other social media users.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Following {
    pub facebook_likes: Likes,
    pub x_follows: Follows,
}

/// Which Facebook pages the school may like (P2.17).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LikeRule {
    NonCommercialOnly,
    Never,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Likes {
    pub rule: LikeRule,
    pub clause: ClauseId,
    pub text: String,
}

/// Which X users the school may follow (P2.18).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowRule {
    FollowersOnly,
    Never,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Follows {
    pub rule: FollowRule,
    pub clause: ClauseId,
    pub text: String,
}

/// Who is educated about social media (P6.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Staff,
    Volunteers,
    Governors,
    Pupils,
    Parents,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Staff => "staff",
            Audience::Volunteers => "volunteers",
            Audience::Governors => "governors",
            Audience::Pupils => "pupils",
            Audience::Parents => "parents/carers",
        }
    }
}

/// Whether a kind of training is the first time or a revisit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Initial,
    Recurring,
}

/// §6 Training and awareness.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Everyone the policy says must be educated.
    pub audiences: Vec<Audience>,
    #[serde(default)]
    pub kinds: Vec<TrainingKind>,
}

/// A way the school educates people (staff induction, pupil assemblies…).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingKind {
    pub id: String,
    pub title: String,
    pub audiences: Vec<Audience>,
    pub stage: Stage,
    /// For recurring training: how often, if the school has said.
    #[serde(default)]
    pub every_months: Option<u32>,
}

/// §8: a policy this one relies on (P8.1).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelatedPolicy {
    /// Stable name (`complaints`), used to point at it (reply templates signpost `complaints`).
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub next_review: Option<Date>,
}

/// What a reply template is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyPurpose {
    /// A concern raised in a comment: acknowledge politely and signpost the complaints route.
    Concern,
    /// A complaint made in public.
    Complaint,
    /// A user told their comments break the policy.
    Behaviour,
}

/// A reply staff may post (P2.14).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyTemplate {
    pub id: String,
    pub purpose: ReplyPurpose,
    pub clause: ClauseId,
    pub text: String,
}

/// Where a block of running text goes in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProseSection {
    /// §1 Purpose and scope.
    Scope,
    /// §1.1 Definition of social media.
    Definition,
    /// §2, after the list of channels.
    OfficialChannels,
    /// §2.3 Moderation, after the list of what is deleted.
    Moderation,
    /// §2.4 Following other social media users, before the rules.
    Following,
    /// §3 Personal use of social media by staff.
    Staff,
    /// §4 … by pupils.
    Pupils,
    /// §5 … by parents/carers.
    Parents,
    /// §5.1 WhatsApp groups.
    Whatsapp,
    /// §6 Training and awareness.
    Training,
    /// §7 Monitoring and review.
    Monitoring,
}

/// A paragraph, or a lead-in with a list, of the policy's running text.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prose {
    pub section: ProseSection,
    #[serde(default)]
    pub clause: Option<ClauseId>,
    /// A paragraph, or the lead-in to `items`.
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub items: Vec<String>,
}
