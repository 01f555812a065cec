//! Shared by the policy crate's tests: the example policy, a corrected copy of it, and edits that
//! fail loudly when the text they change is not there (so no test passes by editing nothing).

#![allow(dead_code)]

use policy::{Date, Policy};

pub const FILE: &str = "policy.toml";

/// The Dar ul Madinah example, as shipped.
pub fn example() -> String {
    include_str!("../../../../examples/dar-ul-madinah/policy.toml").to_string()
}

/// Replace exactly one occurrence of `from`.
pub fn edit(source: &str, from: &str, to: &str) -> String {
    let count = source.matches(from).count();
    assert_eq!(count, 1, "expected exactly one {from:?} in the policy, found {count}");
    source.replacen(from, to, 1)
}

/// Add text after the one occurrence of `anchor`.
pub fn insert_after(source: &str, anchor: &str, text: &str) -> String {
    edit(source, anchor, &format!("{anchor}{text}"))
}

pub fn parse(source: &str) -> Policy {
    match Policy::parse(source, FILE) {
        Ok(policy) => policy,
        Err(err) => panic!("the policy should parse:\n{err}"),
    }
}

pub fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// The 1-based line on which `needle` first appears.
pub fn line_of(source: &str, needle: &str) -> usize {
    let at = source.find(needle).unwrap_or_else(|| panic!("{needle:?} is not in the source"));
    source[..at].matches('\n').count() + 1
}

/// A day on which the example's review is not yet due, nor due soon.
pub const BEFORE_REVIEW: &str = "2026-01-15";

/// The example with everything the linter would flag put right: channels filled in, §2.2's
/// headings corrected, owners and links for related policies, a supplier and a staff account.
pub fn fixed() -> String {
    let mut s = example();
    s = edit(
        &s,
        "[[channels]]\nplaceholder = \"List school Facebook and X (formerly Twitter) accounts, including usernames\"\n\n\
         [[channels]]\nplaceholder = \"Add any other school social media channels\"\n",
        r#"[[channels]]
platform = "facebook_page"
name = "Dar ul Madinah Primary School"
handle = "DarulMadinahPrimary"
url = "https://www.facebook.com/DarulMadinahPrimary"
status = "active"
manager = "headteacher"

[[channels]]
platform = "x_account"
handle = "@DarulMadinahPS"
url = "https://x.com/DarulMadinahPS"
status = "active"
manager = "headteacher"

[[channels]]
platform = "whatsapp_group"
name = "Year 6 parents & carers"
status = "active"
manager = "headteacher"
moderators = ["Year 6 teacher"]
"#,
    );
    s = edit(
        &s,
        "title = \"X (formerly Twitter)\"\n",
        "title = \"X (formerly Twitter)\"\nwill_post_heading = \"The school will post on X:\"\n",
    );
    s = edit(
        &s,
        "# …and heads the will-not-post list \"on Facebook\", copied from §2.1.\nwill_not_post_heading = \"The school will not post on Facebook:\"",
        "will_not_post_heading = \"The school will not post on X:\"",
    );
    for (id, owner) in [
        ("safeguarding", "Designated safeguarding lead"),
        ("ict_acceptable_use", "Computing lead"),
        ("behaviour", "Deputy headteacher"),
        ("staff_code_of_conduct", "Headteacher"),
        ("mobile_phones", "Headteacher"),
        ("complaints", "Headteacher"),
    ] {
        s = edit(
            &s,
            &format!("id = \"{id}\"\ntitle"),
            &format!(
                "id = \"{id}\"\nowner = \"{owner}\"\nlink = \"https://darulmadinah.example/policies/{id}\"\ntitle"
            ),
        );
    }
    s.push_str(
        r#"
[[suppliers]]
name = "Madinah Uniforms Ltd"
kind = "uniform"
domains = ["madinah-uniforms.co.uk"]

[[staff_accounts]]
staff = "A. Teacher"
accounts = ["@ateacher", "https://www.facebook.com/a.teacher"]
"#,
    );
    s
}
