//! The policy file as written, before validation.
//!
//! Where what a person writes is already what the program needs, this reuses the [`crate::model`]
//! types; it differs only where a line may still be the template's instruction (a channel) or where
//! the file format has a version.

use serde::Deserialize;

use crate::model::{
    Approval, Category, ChannelStatus, Following, Lexicon, Moderation, Platform, PlatformSection, Prose, RelatedPolicy,
    ReplyTemplate, Review, School, StaffAccount, Strikes, Supplier, Training, WillNotPost,
};

/// The version of the file format this crate reads.
pub const FORMAT: u32 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub format: u32,
    pub school: School,
    pub approval: Approval,
    pub review: Review,
    #[serde(default)]
    pub channels: Vec<ChannelEntry>,
    #[serde(default)]
    pub platform_sections: Vec<PlatformSection>,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub will_not_post: Vec<WillNotPost>,
    pub moderation: Moderation,
    pub strikes: Strikes,
    #[serde(default)]
    pub lexicon: Lexicon,
    #[serde(default)]
    pub suppliers: Vec<Supplier>,
    #[serde(default)]
    pub staff_accounts: Vec<StaffAccount>,
    pub following: Following,
    pub training: Training,
    #[serde(default)]
    pub related_policies: Vec<RelatedPolicy>,
    #[serde(default)]
    pub reply_templates: Vec<ReplyTemplate>,
    #[serde(default)]
    pub prose: Vec<Prose>,
}

/// A line of the channel list: a channel, or the template's instruction still standing in for one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelEntry {
    /// The template's text, when the line was never filled in.
    #[serde(default)]
    pub placeholder: Option<String>,
    #[serde(default)]
    pub platform: Option<Platform>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub handle: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub status: Option<ChannelStatus>,
    #[serde(default)]
    pub manager: Option<String>,
    #[serde(default)]
    pub moderators: Vec<String>,
}
