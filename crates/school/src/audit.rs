//! The audit log (P7.1): who did what, to which object, when, from where, and with what outcome —
//! including what they were refused.
//!
//! One table serves every kind of action (Lemmy's many mod-log tables were later merged into one; we
//! start there). Each school's entries form a hash chain: an entry's hash covers the previous entry's
//! hash and the entry's own canonical bytes, so editing a row breaks its hash, and deleting one leaves a
//! gap in the sequence or a chain that no longer reaches the head the database keeps. The chain rules
//! live here, pure, so the store, the CLI and the tests check them one way.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::access::{SchoolId, UserId};

/// Action names used by the store. Later flows add their own; the names are `object.verb`.
pub mod actions {
    pub const SCHOOL_CREATE: &str = "school.create";
    pub const USER_CREATE: &str = "user.create";
    pub const USER_DISABLE: &str = "user.disable";
    pub const USER_ENABLE: &str = "user.enable";
    pub const USER_MFA_ENROL: &str = "user.mfa_enrol";
    pub const USER_MFA_CONFIRM: &str = "user.mfa_confirm";
    pub const USER_PASSWORD_SET: &str = "user.password_set";
    pub const USER_SIGN_OUT_EVERYWHERE: &str = "user.sign_out_everywhere";
    pub const API_TOKEN_CREATE: &str = "api_token.create";
    pub const API_TOKEN_REVOKE: &str = "api_token.revoke";
    pub const OIDC_PROVIDER_SET: &str = "oidc_provider.set";
    pub const PERSON_ADD: &str = "person.add";
    pub const PERSON_UPDATE: &str = "person.update";
    pub const PARENT_LINK: &str = "person.link_parent";
    pub const CONSENT_USE_ADD: &str = "consent_use.add";
    pub const CONSENT_SET: &str = "consent.set";
    pub const ROSTER_IMPORT: &str = "roster.import";
    pub const CHANNEL_ADD: &str = "channel.add";
    pub const CHANNEL_UPDATE: &str = "channel.update";
    pub const CHANNEL_CREDENTIALS_SET: &str = "channel.credentials_set";
    pub const CHANNEL_GRANT: &str = "channel.grant";
    pub const CHANNEL_REVOKE: &str = "channel.revoke";
    pub const SUGGESTION_CREATE: &str = "suggestion.create";
    pub const SUGGESTION_DECIDE: &str = "suggestion.decide";
    pub const POLICY_SET: &str = "policy.set";
}

/// Who acted: a signed-in user, or Gatehouse itself (imports from the command line, scheduled jobs).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    User(UserId),
    System,
}

/// The stored spelling of [`Actor::System`]; user ids are UUIDs, so it cannot collide with one.
pub const SYSTEM: &str = "system";

impl Actor {
    /// The actor behind a capability's user id (`system` for the command line's principal).
    pub fn from_user(user: &UserId) -> Actor {
        if user.0 == SYSTEM { Actor::System } else { Actor::User(user.clone()) }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::User(u) => f.write_str(&u.0),
            Actor::System => f.write_str(SYSTEM),
        }
    }
}

impl FromStr for Actor {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Actor, Self::Err> {
        Ok(Actor::from_user(&UserId(s.to_string())))
    }
}

/// How the attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// Refused for want of a permission (P2.3: shown to the headteacher).
    Denied,
    /// Allowed but did not complete.
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Ok, Outcome::Denied, Outcome::Failed];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

crate::spelling::spelled!(Outcome, "outcome");

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The `prev_hash` of a school's first entry.
    pub const GENESIS: Hash = Hash([0; 32]);
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

/// Text that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a SHA-256 hash in hex: {0:?}")]
pub struct BadHash(pub String);

impl FromStr for Hash {
    type Err = BadHash;
    fn from_str(s: &str) -> Result<Hash, BadHash> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| BadHash(s.to_string()))?;
        Ok(Hash(out))
    }
}

impl serde::Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Truncates a moment to whole microseconds: PostgreSQL keeps no more, and a hash over nanoseconds
/// would not survive the round trip.
pub fn truncate_to_micros(t: OffsetDateTime) -> OffsetDateTime {
    let nanos = t.nanosecond();
    t.replace_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}

/// An entry about to be appended: everything but its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewEntry {
    pub school: SchoolId,
    pub actor: Actor,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    /// The client's address, when the action came over the network.
    pub from: Option<String>,
    pub outcome: Outcome,
    /// A JSON object with whatever else matters, as compact JSON text. It is stored as text, never as
    /// JSONB, because the hash covers these exact bytes and JSONB would reorder them.
    pub detail: String,
}

impl NewEntry {
    /// An entry with an empty detail object and an `ok` outcome.
    pub fn new(school: SchoolId, actor: Actor, action: &str, object_kind: &str, object_id: &str) -> NewEntry {
        NewEntry {
            school,
            actor,
            action: action.to_string(),
            object_kind: object_kind.to_string(),
            object_id: object_id.to_string(),
            from: None,
            outcome: Outcome::Ok,
            detail: "{}".to_string(),
        }
    }

    /// Sets the client's address.
    pub fn from(mut self, from: Option<String>) -> NewEntry {
        self.from = from;
        self
    }

    /// Sets the outcome.
    pub fn outcome(mut self, outcome: Outcome) -> NewEntry {
        self.outcome = outcome;
        self
    }

    /// Sets the detail object.
    pub fn detail(mut self, detail: serde_json::Value) -> NewEntry {
        self.detail = detail.to_string();
        self
    }
}

/// One entry of a school's chain.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub seq: i64,
    pub school: SchoolId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: Actor,
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    pub from: Option<String>,
    pub outcome: Outcome,
    pub detail: String,
    pub prev_hash: Hash,
    pub hash: Hash,
}

/// The last entry of a school's chain, as the database keeps it apart from the entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: Hash,
}

impl Head {
    /// The head of a chain with no entries.
    pub const EMPTY: Head = Head { seq: 0, hash: Hash::GENESIS };
}

/// Writes one field as a 4-byte big-endian length and its bytes, so no two different entries share
/// canonical bytes (no field's end can be mistaken for the next one's start).
fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The canonical bytes of an entry's content (everything but its hashes), version-tagged so a later
/// format can be told apart.
#[allow(clippy::too_many_arguments)]
fn canonical_bytes(seq: i64, at: OffsetDateTime, new: &NewEntry) -> Vec<u8> {
    let micros = (at.unix_timestamp_nanos() / 1_000) as i64;
    let mut out = Vec::with_capacity(128 + new.detail.len());
    field(&mut out, b"gatehouse-audit-v1");
    field(&mut out, &seq.to_be_bytes());
    field(&mut out, new.school.0.as_bytes());
    field(&mut out, &micros.to_be_bytes());
    field(&mut out, new.actor.to_string().as_bytes());
    field(&mut out, new.action.as_bytes());
    field(&mut out, new.object_kind.as_bytes());
    field(&mut out, new.object_id.as_bytes());
    field(&mut out, new.from.as_deref().unwrap_or("").as_bytes());
    field(&mut out, &[u8::from(new.from.is_some())]);
    field(&mut out, new.outcome.as_str().as_bytes());
    field(&mut out, new.detail.as_bytes());
    out
}

/// `SHA-256(prev_hash || canonical bytes)`.
fn chain_hash(prev: &Hash, seq: i64, at: OffsetDateTime, new: &NewEntry) -> Hash {
    let mut h = Sha256::new();
    h.update(prev.0);
    h.update(canonical_bytes(seq, at, new));
    Hash(h.finalize().into())
}

impl Entry {
    /// Places `new` after `head`, at `at` (truncated to microseconds).
    pub fn append(head: &Head, new: NewEntry, at: OffsetDateTime) -> Entry {
        let at = truncate_to_micros(at);
        let seq = head.seq + 1;
        let hash = chain_hash(&head.hash, seq, at, &new);
        let NewEntry { school, actor, action, object_kind, object_id, from, outcome, detail } = new;
        Entry {
            seq,
            school,
            at,
            actor,
            action,
            object_kind,
            object_id,
            from,
            outcome,
            detail,
            prev_hash: head.hash,
            hash,
        }
    }

    /// The hash this entry's content and `prev_hash` call for.
    pub fn expected_hash(&self) -> Hash {
        let new = NewEntry {
            school: self.school.clone(),
            actor: self.actor.clone(),
            action: self.action.clone(),
            object_kind: self.object_kind.clone(),
            object_id: self.object_id.clone(),
            from: self.from.clone(),
            outcome: self.outcome,
            detail: self.detail.clone(),
        };
        chain_hash(&self.prev_hash, self.seq, self.at, &new)
    }

    /// This entry as the head of its chain.
    pub fn head(&self) -> Head {
        Head { seq: self.seq, hash: self.hash }
    }
}

/// What is wrong at a point of a chain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("its content does not match its hash (the row was edited)")]
    Edited,
    #[error("its prev_hash does not match entry {0}'s hash (an earlier row was edited or replaced)")]
    Unlinked(i64),
    #[error("it is missing (the row was deleted)")]
    Missing,
    #[error("it is out of order after entry {0}")]
    OutOfOrder(i64),
    #[error("the chain's head records seq {head_seq}, but the last entry is {last_seq}")]
    HeadMismatch { head_seq: i64, last_seq: i64 },
    #[error("a stored value cannot be read: {0}")]
    Unreadable(String),
}

/// The first point where a chain fails.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("school {school}, entry {seq}: {reason}", school = school.0)]
pub struct Broken {
    pub school: SchoolId,
    pub seq: i64,
    pub reason: Reason,
}

/// Checks chains one entry at a time, so a long log need not be held in memory.
#[derive(Debug, Default)]
pub struct Verifier {
    heads: BTreeMap<SchoolId, Head>,
    checked: u64,
}

impl Verifier {
    /// A verifier that has seen nothing.
    pub fn new() -> Verifier {
        Verifier::default()
    }

    /// Checks the next entry; each school's entries must come in seq order (schools may interleave).
    pub fn check(&mut self, entry: &Entry) -> Result<(), Broken> {
        let head = self.heads.get(&entry.school).copied().unwrap_or(Head::EMPTY);
        let broken = |seq, reason| Err(Broken { school: entry.school.clone(), seq, reason });
        if entry.seq <= head.seq {
            return broken(entry.seq, Reason::OutOfOrder(head.seq));
        }
        if entry.seq > head.seq + 1 {
            return broken(head.seq + 1, Reason::Missing);
        }
        if entry.prev_hash != head.hash {
            return broken(entry.seq, Reason::Unlinked(head.seq));
        }
        if entry.expected_hash() != entry.hash {
            return broken(entry.seq, Reason::Edited);
        }
        self.heads.insert(entry.school.clone(), entry.head());
        self.checked += 1;
        Ok(())
    }

    /// Checks that `school`'s chain, as seen so far, ends at the head the database records: this is what
    /// catches the deletion of the newest entries.
    pub fn finish_school(&self, school: &SchoolId, recorded: Head) -> Result<(), Broken> {
        let last = self.heads.get(school).copied().unwrap_or(Head::EMPTY);
        let broken = |seq, reason| Err(Broken { school: school.clone(), seq, reason });
        if last.seq < recorded.seq {
            return broken(last.seq + 1, Reason::Missing);
        }
        if last != recorded {
            return broken(last.seq, Reason::HeadMismatch { head_seq: recorded.seq, last_seq: last.seq });
        }
        Ok(())
    }

    /// How many entries have passed.
    pub fn checked(&self) -> u64 {
        self.checked
    }
}

/// Checks a list of entries (each school's in seq order, starting at 1).
pub fn verify(entries: &[Entry]) -> Result<(), Broken> {
    let mut v = Verifier::new();
    entries.iter().try_for_each(|e| v.check(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Vec<Entry> {
        let school = SchoolId("s".into());
        let mut head = Head::EMPTY;
        let at = OffsetDateTime::UNIX_EPOCH;
        (0..n)
            .map(|i| {
                let new =
                    NewEntry::new(school.clone(), Actor::System, actions::CONSENT_SET, "person", &format!("p{i}"))
                        .detail(serde_json::json!({"i": i}));
                let e = Entry::append(&head, new, at);
                head = e.head();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(()));
    }

    #[test]
    fn an_edited_entry_is_named() {
        let mut c = chain(5);
        c[2].object_id = "someone else".into();
        let err = verify(&c).unwrap_err();
        assert_eq!((err.seq, err.reason), (3, Reason::Edited));
    }

    #[test]
    fn a_rehashed_edit_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].detail = "{}".into();
        c[2].hash = c[2].expected_hash();
        let err = verify(&c).unwrap_err();
        assert_eq!((err.seq, err.reason), (4, Reason::Unlinked(3)));
    }

    #[test]
    fn a_deleted_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        let err = verify(&c).unwrap_err();
        assert_eq!((err.seq, err.reason), (2, Reason::Missing));
    }

    #[test]
    fn deleting_the_newest_entry_is_caught_by_the_head() {
        let c = chain(5);
        let head = c[4].head();
        let mut v = Verifier::new();
        c[..4].iter().for_each(|e| v.check(e).unwrap());
        let err = v.finish_school(&SchoolId("s".into()), head).unwrap_err();
        assert_eq!((err.seq, err.reason), (5, Reason::Missing));
    }

    #[test]
    fn timestamps_are_hashed_at_microsecond_precision() {
        let t = OffsetDateTime::UNIX_EPOCH + time::Duration::nanoseconds(1_234_567);
        assert_eq!(truncate_to_micros(t).nanosecond(), 1_234_000);
        let new = NewEntry::new(SchoolId("s".into()), Actor::System, "a", "k", "i");
        let e = Entry::append(&Head::EMPTY, new, t);
        assert_eq!(e.at.nanosecond(), 1_234_000);
        assert_eq!(e.expected_hash(), e.hash);
    }

    #[test]
    fn hashes_round_trip_as_hex() {
        let h = chain(1)[0].hash;
        assert_eq!(h.to_string().parse::<Hash>(), Ok(h));
        assert!("zz".parse::<Hash>().is_err());
    }
}
