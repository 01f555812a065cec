//! Which links point at a person's profile on a social platform.
//!
//! Each platform puts the account in the first part of the path (`x.com/jo`, `instagram.com/jo`),
//! behind a marker (`tiktok.com/@jo`, `linkedin.com/in/jo`) or in a query (`facebook.com/profile.php?
//! id=…`), and reserves some first parts for pages that are no one's account (`x.com/search`,
//! `facebook.com/groups/…`). Links to a post score lower than links to the profile itself: they still
//! lead to the person, but they are usually shared for the post.

/// A personal account a link leads to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Profile<'t> {
    pub platform: &'static str,
    /// The account name as written in the link (empty when the link only identifies a post).
    pub user: &'t str,
    pub score: f32,
    /// What the link is, for the evidence.
    pub what: &'static str,
}

const PROFILE: f32 = 0.75;
const POST: f32 = 0.5;
/// Links whose owner may as well be a business or a channel as a person.
const CHANNEL: f32 = 0.6;

/// The profile a canonical host and path lead to, if any.
pub(crate) fn profile<'t>(host: &str, path: &'t str) -> Option<Profile<'t>> {
    let mut parts = path.trim_start_matches('/').split('/').filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or("");
    let second = parts.next().unwrap_or("");
    let make = |platform, user: &'t str, score, what| Some(Profile { platform, user, score, what });
    match host {
        "facebook.com" => match first.to_ascii_lowercase().as_str() {
            "" => None,
            "profile.php" | "people" => make("facebook", second, PROFILE, "a Facebook profile"),
            "groups" | "events" | "pages" | "watch" | "marketplace" | "hashtag" | "help" | "policies" | "gaming"
            | "login" | "share" | "sharer" | "sharer.php" | "story.php" | "permalink.php" | "photo.php" | "photo"
            | "photos" | "reel" | "videos" | "events.php" | "fundraisers" | "donate" => None,
            _ if second == "posts" || second == "photos" || second == "videos" => {
                make("facebook", first, POST, "a post on a Facebook account")
            }
            _ => make("facebook", first, PROFILE, "a Facebook profile or page"),
        },
        "m.me" => make("facebook", first, PROFILE, "a Messenger link to a person"),
        "x.com" => match first.to_ascii_lowercase().as_str() {
            "" | "i" | "intent" | "share" | "search" | "hashtag" | "home" | "explore" | "settings" | "messages"
            | "notifications" | "tos" | "privacy" | "login" | "signup" => None,
            _ if second == "status" => make("x", first, POST, "a post on an X account"),
            _ => make("x", first, PROFILE, "an X profile"),
        },
        "instagram.com" => match first.to_ascii_lowercase().as_str() {
            "" | "explore" | "accounts" | "direct" | "about" | "legal" => None,
            "p" | "reel" | "reels" | "tv" => make("instagram", "", POST, "an Instagram post"),
            "stories" => make("instagram", second, PROFILE, "an Instagram story"),
            _ => make("instagram", first, PROFILE, "an Instagram profile"),
        },
        "tiktok.com" => match first.strip_prefix('@') {
            Some(user) if second == "video" => make("tiktok", user, POST, "a TikTok video on an account"),
            Some(user) => make("tiktok", user, PROFILE, "a TikTok profile"),
            None => None,
        },
        "vm.tiktok.com" | "vt.tiktok.com" => make("tiktok", "", POST, "a TikTok share link"),
        "linkedin.com" => match first {
            "in" | "pub" => make("linkedin", second, PROFILE, "a LinkedIn profile"),
            "posts" => make("linkedin", "", POST, "a LinkedIn post"),
            _ => None,
        },
        "youtube.com" => match first {
            "c" | "channel" | "user" => make("youtube", second, CHANNEL, "a YouTube channel"),
            f if f.starts_with('@') => make("youtube", &f[1..], CHANNEL, "a YouTube channel"),
            _ => None,
        },
        "threads.net" | "threads.com" => {
            first.strip_prefix('@').and_then(|u| make("threads", u, PROFILE, "a Threads profile"))
        }
        "bsky.app" if first == "profile" => make("bluesky", second, PROFILE, "a Bluesky profile"),
        "snapchat.com" if first == "add" => make("snapchat", second, PROFILE, "a Snapchat add link"),
        "t.me" if !first.is_empty() => make("telegram", first, PROFILE, "a Telegram account"),
        "wa.me" if !first.is_empty() => make("whatsapp", first, PROFILE, "a WhatsApp chat with a person"),
        "linktr.ee" if !first.is_empty() => make("linktree", first, PROFILE, "a Linktree page"),
        "onlyfans.com" if !first.is_empty() => make("onlyfans", first, PROFILE, "an OnlyFans account"),
        "twitch.tv" if !first.is_empty() => make("twitch", first, CHANNEL, "a Twitch channel"),
        "reddit.com" if first == "u" || first == "user" => make("reddit", second, PROFILE, "a Reddit user"),
        "pinterest.com" | "pinterest.co.uk" if !first.is_empty() && first != "pin" => {
            make("pinterest", first, CHANNEL, "a Pinterest account")
        }
        _ => None,
    }
}

/// Whether the host is a social platform at all (its links are personal-link business, not adverts).
pub(crate) fn is_social(host: &str) -> bool {
    matches!(
        host,
        "facebook.com"
            | "m.me"
            | "x.com"
            | "t.co"
            | "instagram.com"
            | "tiktok.com"
            | "vm.tiktok.com"
            | "vt.tiktok.com"
            | "linkedin.com"
            | "lnkd.in"
            | "youtube.com"
            | "youtu.be"
            | "threads.net"
            | "threads.com"
            | "bsky.app"
            | "snapchat.com"
            | "t.me"
            | "wa.me"
            | "whatsapp.com"
            | "linktr.ee"
            | "twitch.tv"
            | "reddit.com"
            | "pinterest.com"
            | "pinterest.co.uk"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(host: &str, path: &str) -> Option<String> {
        profile(host, path).map(|p| format!("{}:{}", p.platform, p.user))
    }

    #[test]
    fn profiles_by_platform() {
        assert_eq!(user("facebook.com", "/jo.smith").as_deref(), Some("facebook:jo.smith"));
        assert_eq!(user("x.com", "/Jo_S/status/123").as_deref(), Some("x:Jo_S"));
        assert_eq!(user("tiktok.com", "/@jo").as_deref(), Some("tiktok:jo"));
        assert_eq!(user("linkedin.com", "/in/jo-smith").as_deref(), Some("linkedin:jo-smith"));
        assert_eq!(user("instagram.com", "/p/Cx1").as_deref(), Some("instagram:"));
    }

    #[test]
    fn pages_that_are_no_ones_account() {
        assert_eq!(user("facebook.com", "/groups/123"), None);
        assert_eq!(user("x.com", "/search"), None);
        assert_eq!(user("linkedin.com", "/company/acme"), None);
        assert_eq!(user("youtube.com", "/watch"), None);
        assert_eq!(user("example.com", "/jo"), None);
    }
}
