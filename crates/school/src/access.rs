//! Roles as capabilities (P2.2, P2.3; least privilege per role).
//!
//! A signed-in user is a [`Principal`]. Code that needs a permission asks the principal for a
//! capability — `principal.people_admin()` — and gets `None` unless the role (and, for the roles that
//! reach personal data, a completed second factor) allows it. Store methods that change or reveal
//! something take the capability as an argument, so code that has not proven a role cannot even call
//! them, and the capability carries the school it is valid for, so no query can stray into another
//! school's rows.

use std::fmt;
use std::str::FromStr;

/// A school's id (a UUID as text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SchoolId(pub String);

/// A user account's id (a UUID as text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct UserId(pub String);

/// A channel's id (a UUID as text).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ChannelId(pub String);

/// What a user account is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Owns the channels and grants authorisations (P2.2).
    Headteacher,
    /// The designated safeguarding lead.
    Dsl,
    DeputyDsl,
    /// Any other member of staff; may post or moderate only on channels they are granted.
    Staff,
    /// Governors and directors: figures only.
    Governor,
    /// A multi-academy trust's central team.
    TrustAdmin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Headteacher, Role::Dsl, Role::DeputyDsl, Role::Staff, Role::Governor, Role::TrustAdmin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Headteacher => "headteacher",
            Role::Dsl => "dsl",
            Role::DeputyDsl => "deputy_dsl",
            Role::Staff => "staff",
            Role::Governor => "governor",
            Role::TrustAdmin => "trust_admin",
        }
    }

    /// Whether the role must sign in with a second factor. The DfE cyber security standards ask for
    /// MFA on accounts that reach personal data: the headteacher and safeguarding leads, and the
    /// trust's central team, which reaches several schools' data at once.
    pub fn requires_mfa(self) -> bool {
        matches!(self, Role::Headteacher | Role::Dsl | Role::DeputyDsl | Role::TrustAdmin)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unknown role {0:?}; expected headteacher, dsl, deputy_dsl, staff, governor or trust_admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// A staff member's authorisation on one channel (P2.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Grant {
    pub channel: ChannelId,
    pub may_post: bool,
    pub may_moderate: bool,
}

/// A signed-in user, after every factor their role requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user: UserId,
    pub school: SchoolId,
    pub role: Role,
    pub grants: Vec<Grant>,
}

/// Generates a capability type: proof that a principal may do one kind of thing in one school.
macro_rules! capability {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name<'a> {
            principal: &'a Principal,
        }

        impl $name<'_> {
            /// The school this capability is valid for.
            pub fn school(&self) -> &SchoolId {
                &self.principal.school
            }

            /// Who holds it, for the audit log.
            pub fn actor(&self) -> &UserId {
                &self.principal.user
            }
        }
    };
}

capability!(
    /// Read people and their consents (who may be named or shown).
    PeopleReader
);
capability!(
    /// Change people and consents, import rosters.
    PeopleAdmin
);
capability!(
    /// Register channels, store their credentials, grant staff the use of them (P2.2).
    ChannelAdmin
);
capability!(
    /// See the channel registry (never the credentials).
    ChannelReader
);
capability!(
    /// Create and disable user accounts.
    UserAdmin
);
capability!(
    /// Read the audit log, including refused attempts (P2.3, P7.1).
    AuditReader
);
capability!(
    /// Send a content suggestion to the headteacher (P2.4).
    Suggester
);
capability!(
    /// Work through the suggestion queue (P2.4).
    SuggestionReviewer
);
capability!(
    /// See aggregate figures (governors, P7.2).
    FiguresReader
);

/// Proof that a principal may post on one channel.
#[derive(Debug)]
pub struct ChannelPoster<'a> {
    principal: &'a Principal,
    channel: &'a ChannelId,
}

/// Proof that a principal may moderate one channel.
#[derive(Debug)]
pub struct ChannelModerator<'a> {
    principal: &'a Principal,
    channel: &'a ChannelId,
}

impl ChannelPoster<'_> {
    pub fn school(&self) -> &SchoolId {
        &self.principal.school
    }
    pub fn actor(&self) -> &UserId {
        &self.principal.user
    }
    pub fn channel(&self) -> &ChannelId {
        self.channel
    }
}

impl ChannelModerator<'_> {
    pub fn school(&self) -> &SchoolId {
        &self.principal.school
    }
    pub fn actor(&self) -> &UserId {
        &self.principal.user
    }
    pub fn channel(&self) -> &ChannelId {
        self.channel
    }
}

impl Principal {
    fn when<T>(&self, allowed: bool, make: impl FnOnce() -> T) -> Option<T> {
        allowed.then(make)
    }

    fn has_role(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }

    fn grant(&self, channel: &ChannelId) -> Option<&Grant> {
        self.grants.iter().find(|g| &g.channel == channel)
    }

    /// Staff who may post somewhere need to see consents to post safely.
    fn posts_anywhere(&self) -> bool {
        self.grants.iter().any(|g| g.may_post)
    }

    pub fn people_reader(&self) -> Option<PeopleReader<'_>> {
        use Role::*;
        let allowed = self.has_role(&[Headteacher, Dsl, DeputyDsl, TrustAdmin]) || self.posts_anywhere();
        self.when(allowed, || PeopleReader { principal: self })
    }

    pub fn people_admin(&self) -> Option<PeopleAdmin<'_>> {
        self.when(self.has_role(&[Role::Headteacher, Role::TrustAdmin]), || PeopleAdmin { principal: self })
    }

    /// Only the headteacher manages the accounts (P2.2).
    pub fn channel_admin(&self) -> Option<ChannelAdmin<'_>> {
        self.when(self.role == Role::Headteacher, || ChannelAdmin { principal: self })
    }

    pub fn channel_reader(&self) -> Option<ChannelReader<'_>> {
        let allowed = self.has_role(&[Role::Headteacher, Role::TrustAdmin]) || !self.grants.is_empty();
        self.when(allowed, || ChannelReader { principal: self })
    }

    pub fn user_admin(&self) -> Option<UserAdmin<'_>> {
        self.when(self.has_role(&[Role::Headteacher, Role::TrustAdmin]), || UserAdmin { principal: self })
    }

    pub fn audit_reader(&self) -> Option<AuditReader<'_>> {
        self.when(self.has_role(&[Role::Headteacher, Role::TrustAdmin]), || AuditReader { principal: self })
    }

    /// Any member of staff may suggest content (P2.4); governors see figures only.
    pub fn suggester(&self) -> Option<Suggester<'_>> {
        use Role::*;
        self.when(self.has_role(&[Headteacher, Dsl, DeputyDsl, Staff]), || Suggester { principal: self })
    }

    pub fn suggestion_reviewer(&self) -> Option<SuggestionReviewer<'_>> {
        self.when(self.role == Role::Headteacher, || SuggestionReviewer { principal: self })
    }

    pub fn figures_reader(&self) -> Option<FiguresReader<'_>> {
        use Role::*;
        self.when(self.has_role(&[Headteacher, Governor, TrustAdmin]), || FiguresReader { principal: self })
    }

    /// The headteacher may post anywhere; staff only where granted (P2.3).
    pub fn channel_poster<'a>(&'a self, channel: &'a ChannelId) -> Option<ChannelPoster<'a>> {
        let allowed = self.role == Role::Headteacher || self.grant(channel).is_some_and(|g| g.may_post);
        self.when(allowed, || ChannelPoster { principal: self, channel })
    }

    pub fn channel_moderator<'a>(&'a self, channel: &'a ChannelId) -> Option<ChannelModerator<'a>> {
        let allowed = self.role == Role::Headteacher || self.grant(channel).is_some_and(|g| g.may_moderate);
        self.when(allowed, || ChannelModerator { principal: self, channel })
    }
}

impl Principal {
    /// The operator at the command line (`gatehouse import`, `gatehouse audit`): whoever can reach the
    /// database already holds every school's data, so they act as the trust's team would, and the audit
    /// log records them as `system` (no user id is that string: ids are UUIDs).
    pub fn system(school: SchoolId) -> Principal {
        Principal { user: UserId("system".to_string()), school, role: Role::TrustAdmin, grants: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, grants: Vec<Grant>) -> Principal {
        Principal { user: UserId("u".into()), school: SchoolId("s".into()), role, grants }
    }

    #[test]
    fn only_the_headteacher_manages_channels() {
        for role in Role::ALL {
            assert_eq!(principal(role, vec![]).channel_admin().is_some(), role == Role::Headteacher, "{role}");
        }
    }

    #[test]
    fn governors_see_figures_only() {
        let g = principal(Role::Governor, vec![]);
        assert!(g.figures_reader().is_some());
        assert!(g.people_reader().is_none());
        assert!(g.suggester().is_none());
        assert!(g.audit_reader().is_none());
        assert!(g.channel_poster(&ChannelId("c".into())).is_none());
    }

    #[test]
    fn staff_post_only_where_granted_and_then_may_read_consents() {
        let c1 = ChannelId("c1".into());
        let c2 = ChannelId("c2".into());
        let plain = principal(Role::Staff, vec![]);
        assert!(plain.channel_poster(&c1).is_none());
        assert!(plain.people_reader().is_none());
        let granted = principal(Role::Staff, vec![Grant { channel: c1.clone(), may_post: true, may_moderate: false }]);
        assert!(granted.channel_poster(&c1).is_some());
        assert!(granted.channel_moderator(&c1).is_none());
        assert!(granted.channel_poster(&c2).is_none());
        assert!(granted.people_reader().is_some());
        assert_eq!(granted.channel_poster(&c1).unwrap().school(), &SchoolId("s".into()));
    }

    #[test]
    fn roles_round_trip_and_mfa() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!(Role::Dsl.requires_mfa() && !Role::Staff.requires_mfa() && !Role::Governor.requires_mfa());
    }
}
