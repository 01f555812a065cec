//! The rendered policy document: the seed's sections in order, the real channels and rules with
//! their clauses, and HTML that is escaped and accessible.

mod common;

use common::{edit, example, fixed, parse};
use policy::{Format, render};

const SECTIONS: [&str; 8] = [
    "1. Purpose and scope",
    "2. Use of official school social media",
    "3. Personal use of social media by staff",
    "4. Personal use of social media by pupils",
    "5. Personal use of social media by parents/carers",
    "6. Training and awareness",
    "7. Monitoring and review",
    "8. Related policies",
];

fn markdown(source: &str) -> String {
    render(&parse(source), Format::Markdown)
}

fn html(source: &str) -> String {
    render(&parse(source), Format::Html)
}

/// Positions of each needle, which must all be present and in order.
fn assert_in_order(doc: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        let at = doc[from..].find(needle).unwrap_or_else(|| panic!("{needle:?} missing or out of order"));
        from += at + needle.len();
    }
}

#[test]
fn markdown_sections_follow_the_seed() {
    let doc = markdown(&example());
    let headings: Vec<String> = SECTIONS.iter().map(|s| format!("\n## {s}\n")).collect();
    assert_in_order(&doc, &headings.iter().map(String::as_str).collect::<Vec<_>>());
    assert_in_order(
        &doc,
        &[
            "\n### 1.1 Definition of social media\n",
            "\n### 2.1 Facebook\n",
            "\n### 2.2 X (formerly Twitter)\n",
            "\n### 2.3 Moderation\n",
            "\n### 2.4 Following other social media users\n",
            "\n### 5.1 WhatsApp groups\n",
        ],
    );
    assert!(doc.starts_with("# Social media policy\n\nDar ul Madinah Primary School\n"));
    assert!(doc.contains("**Approved by:** Directors"));
    assert!(doc.contains("**Next review due by:** 31 August 2026"));
}

#[test]
fn markdown_lists_rules_with_clauses_and_the_unfilled_line() {
    let doc = markdown(&example());
    assert!(doc.contains(
        "- **Not yet filled in:** List school Facebook and X (formerly Twitter) accounts, including usernames"
    ));
    assert!(doc.contains("- Political statements `P2.9`"));
    assert!(doc.contains("- Invitations to provide feedback `P2.5`"));
    assert!(doc.contains("- Abusive, racist, sexist, homophobic or inflammatory comments `P2.13`"));
    // One line for commercial posts and donation requests, as in the seed.
    assert_eq!(doc.matches("Posts that advertise commercial activity or ask for donations").count(), 1);
    assert!(
        doc.contains("break these rules 3 times within 90 days is blocked, once the headteacher confirms it. `P2.15`")
    );
    assert!(doc.contains("alcohol, gambling, pork and mockery of faith"));
    assert!(doc.contains("- Complaints policy `P8.1`"));
    assert!(doc.contains("This policy will be reviewed annually."));
    // The §2.2 heading is rendered as the file has it: the linter, not the renderer, reports it.
    assert_eq!(doc.matches("The school will not post on Facebook:").count(), 2);
    // The categories are listed under both platforms.
    assert_eq!(doc.matches("Achievements of pupils and staff `P2.5`").count(), 2);
}

#[test]
fn markdown_lists_the_real_channels() {
    let doc = markdown(&fixed());
    assert!(!doc.contains("Not yet filled in"));
    assert!(doc.contains(
        "- Facebook Page: Dar ul Madinah Primary School (@DarulMadinahPrimary) – [https://www.facebook.com/DarulMadinahPrimary](<https://www.facebook.com/DarulMadinahPrimary>), managed by the headteacher"
    ), "{doc}");
    assert!(doc.contains("- X (formerly Twitter) account (@DarulMadinahPS)"));
    // The WhatsApp group is listed in §2 and again in §5.1; `&` is escaped.
    assert_eq!(
        doc.matches(
            "WhatsApp group: Year 6 parents \\& carers, managed by the headteacher, moderated by Year 6 teacher"
        )
        .count(),
        2
    );
    assert!(doc.contains("directly related to the school: Madinah Uniforms Ltd"));
    assert!(doc.contains(
        "[Complaints policy](<https://darulmadinah.example/policies/complaints>) (owner: Headteacher) `P8.1`"
    ));
}

#[test]
fn markdown_escapes_markup() {
    let src = edit(&example(), "text = \"Invitations to provide feedback\"", "text = \"*Bold* [link](x) <b>1</b>\"");
    let doc = markdown(&src);
    assert!(doc.contains(r"- \*Bold\* \[link\](x) \<b\>1\</b\> `P2.5`"), "{doc}");
    let src = edit(&example(), "text = \"The school:\"", "text = \"1. Not a list\"");
    assert!(markdown(&src).contains("\n1\\. Not a list\n"), "{}", markdown(&src));
    let src = edit(&example(), "text = \"The school:\"", "text = \"- not an item\"");
    assert!(markdown(&src).contains("\n\\- not an item\n"));
}

#[test]
fn html_is_a_complete_accessible_page() {
    let doc = html(&example());
    assert!(doc.starts_with("<!doctype html>\n<html lang=\"en-GB\">"));
    assert!(doc.contains("<meta charset=\"utf-8\">"));
    assert!(doc.contains("<title>Social media policy – Dar ul Madinah Primary School</title>"));
    assert!(doc.trim_end().ends_with("</html>"));
    assert_eq!(doc.matches("<h1>").count(), 1);
    assert_in_order(&doc, &SECTIONS.map(|s| s.to_string()).iter().map(String::as_str).collect::<Vec<_>>());
    // Headings never skip a level.
    let mut last = 1;
    for (i, _) in doc.match_indices("<h") {
        let Some(level) = doc[i + 2..].chars().next().and_then(|c| c.to_digit(10)) else { continue };
        assert!(level <= last + 1, "h{level} after h{last}");
        last = level;
    }
    // Lists are lists, and the contents link to the sections.
    assert!(doc.contains("<ul>\n<li>Names and photos of individuals (unless they have given consent) <span class=\"clause\">[P2.6]</span></li>"));
    assert!(doc.contains("<li><a href=\"#section-8\">Related policies</a></li>"));
    assert!(doc.contains("<h2 id=\"section-8\">8. Related policies</h2>"));
    assert!(doc.contains("<h3 id=\"section-2-2\">2.2 X (formerly Twitter)</h3>"));
    // Opening and closing tags balance.
    for tag in ["section", "ul", "p", "li", "h2", "h3", "blockquote", "dl", "nav", "main", "header"] {
        assert_eq!(
            doc.matches(&format!("<{tag}")).count() - if tag == "p" { doc.matches("<pre").count() } else { 0 },
            doc.matches(&format!("</{tag}>")).count(),
            "<{tag}>"
        );
    }
}

#[test]
fn html_escapes_all_text() {
    let mut src = edit(
        &example(),
        "[school]\nname = \"Dar ul Madinah Primary School\"",
        "[school]\nname = \"Dar <script>alert('x')</script> & Co\"",
    );
    src = edit(&src, "text = \"Invitations to provide feedback\"", "text = \"<img src=x onerror=alert(1)>\"");
    let doc = render(&parse(&src), Format::Html);
    assert!(!doc.contains("<script>"));
    assert!(!doc.contains("<img"));
    assert!(doc.contains("Dar &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));
    assert!(doc.contains("&lt;img src=x onerror=alert(1)&gt;"));

    let src = edit(
        &fixed(),
        "link = \"https://darulmadinah.example/policies/complaints\"",
        "link = \"https://darulmadinah.example/c?a=1&b=\\\"2\\\"\"",
    );
    let doc = render(&parse(&src), Format::Html);
    assert!(
        doc.contains("<a href=\"https://darulmadinah.example/c?a=1&amp;b=&quot;2&quot;\">Complaints policy</a>"),
        "{doc}"
    );
}
