//! The areas as a person in a browser uses them: people and consents, the roster import, channels with
//! their credentials and grants, refused attempts, suggestions, the audit log and its downloads, the
//! figures — and the page structure WCAG asks for on every one of them.

mod support;

use reqwest::StatusCode;
use school::access::Role;
use school::channel::{ChannelKind, NewChannel};
use store::Origin;
use support::{Authenticator, Client, Options, PASSWORD, Page, Server, databases, read};

/// Signs in through the pages (enrolling an authenticator where the role needs one) and opens the
/// dashboard, so the browser holds the session's form token.
async fn browser(server: &Server, email: &str, role: Role) -> Client {
    let mut client = if role.requires_mfa() {
        let mut client = server.client();
        assert_eq!(client.sign_in(email, PASSWORD).await.location(), Some("/mfa/enrol"));
        let key = client.get("/mfa/enrol").await.text_of_id("secret").unwrap();
        let code = Authenticator::from_page_key(&key).code(0);
        assert_eq!(client.post("/mfa/enrol", &[("code", &code)]).await.status, StatusCode::SEE_OTHER);
        client
    } else {
        Client::signed_in(server, email).await
    };
    assert_eq!(client.get("/").await.status, StatusCode::OK);
    client
}

/// Uploads `csv` through the import form, as a browser sends a file.
async fn upload(client: &mut Client, csv: &str) -> Page {
    client.get("/people/import").await;
    let boundary = "----gatehouse-test";
    let token = client.csrf.clone().unwrap();
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"roster.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let request = client
        .http
        .post(client.url("/people/import"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body);
    read(request.send().await.unwrap()).await
}

/// The path of the first link whose text starts with `text`.
fn link_to(page: &Page, text: &str) -> String {
    let at = page.body.find(&format!(">{text}")).unwrap_or_else(|| panic!("no link {text:?} in {}", page.body));
    let open = page.body[..at].rfind("href=\"").unwrap() + 6;
    let end = open + page.body[open..].find('"').unwrap();
    page.body[open..end].to_string()
}

/// The structure WCAG 2.2 AA asks of a page: every visible form control has a label bound to it, radio
/// groups sit in a fieldset with a legend, every table has a caption and scoped headers, the current
/// navigation entry is marked, and an error summary links to its fields.
fn assert_accessible(page: &Page, what: &str) {
    let body = &page.body;
    for control in ["<input", "<select", "<textarea"] {
        for (at, _) in body.match_indices(control) {
            let tag = &body[at..at + body[at..].find('>').unwrap()];
            if tag.contains("type=\"hidden\"") {
                continue;
            }
            let id = attr(tag, "id").unwrap_or_else(|| panic!("{what}: a control without an id: {tag}"));
            assert!(body.contains(&format!("<label for=\"{id}\"")), "{what}: no label for #{id}");
        }
    }
    for (at, _) in body.match_indices("type=\"radio\"") {
        let before = &body[..at];
        let open = before.rfind("<fieldset").unwrap_or_else(|| panic!("{what}: a radio outside a fieldset"));
        assert!(before.rfind("</fieldset>").is_none_or(|close| close < open), "{what}: a radio outside a fieldset");
        assert!(body[open..at].contains("<legend>"), "{what}: a fieldset without a legend");
    }
    assert_eq!(body.matches("<table").count(), body.matches("<caption").count(), "{what}: a table without a caption");
    for (at, _) in body.match_indices("<th") {
        let tag = &body[at..at + body[at..].find('>').unwrap()];
        if tag.starts_with("<thead") {
            continue;
        }
        assert!(tag.contains("scope=\"col\"") || tag.contains("scope=\"row\""), "{what}: {tag} has no scope");
    }
    if body.contains("class=\"site-nav\"") {
        assert!(body.contains("aria-current=\"page\""), "{what}: the navigation does not mark the current page");
    }
    if let Some(at) = body.find("class=\"error-summary\"") {
        let summary = &body[at..at + body[at..].find("</div>").unwrap()];
        for (link, _) in summary.match_indices("href=\"#") {
            let id = &summary[link + 7..link + 7 + summary[link + 7..].find('"').unwrap()];
            assert!(
                body.contains(&format!("id=\"{id}\"")),
                "{what}: the error summary links to #{id}, which is not there"
            );
        }
    }
    assert!(body.contains("lang=\"en-GB\"") && body.contains("name=\"viewport\""), "{what}: language and viewport");
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

const ROSTER: &str = "Reg Group,UPN,Surname,Forename,Preferred Forename,Year,Consent: photo_online,Consent: name_online\n\
                      3K,A100,Begum,Amina,,3,Y,Y\n\
                      4M,A101,Ali,Yusuf,Yus,4,N,Y\n\
                      4M,,Nobody,Nameless,,4,Y,Y\n\
                      RB,A103,Khan,Sara,,R,Y,perhaps\n\
                      5S,A104,Farooq,Omar,,5,Y,\n";

#[tokio::test]
async fn a_roster_import_reports_every_rejected_row_and_a_second_import_changes_nothing() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("head@school.example", Role::Headteacher).await;
        let mut head = browser(&server, "head@school.example", Role::Headteacher).await;
        let form = head.get("/people/import").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        assert_accessible(&form, "import form");

        let first = upload(&mut head, ROSTER).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let counts = |page: &Page| {
            ["added", "updated", "unchanged", "rejected"].map(|c| page.text_of_id(&format!("count-{c}")).unwrap())
        };
        assert_eq!(counts(&first), ["3", "0", "0", "2"]);
        assert!(first.body.contains("<th scope=\"row\">4</th><td>UPN is empty</td>"), "{}", first.body);
        assert!(
            first.body.contains("<th scope=\"row\">5</th><td>Consent: name_online is &#34;perhaps&#34;"),
            "{}",
            first.body
        );
        assert_accessible(&first, "import report");

        let second = upload(&mut head, ROSTER).await;
        assert_eq!(counts(&second), ["0", "0", "3", "2"], "nothing changes the second time");
        assert_eq!(second.text_of_id("count-consents").as_deref(), Some("0"));

        let missing = upload(&mut head, "UPN,Forename\nA1,Amy\n").await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("the header row is missing Surname"), "{}", missing.body);
        assert!(missing.body.contains("href=\"#roster\""), "the summary links to the file field");
        let too_large = upload(&mut head, &"x".repeat(5 * 1024 * 1024)).await;
        assert_eq!(too_large.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_large.body.contains("too large"), "{}", too_large.body);
        let people = head.get("/people").await;
        assert!(people.body.contains("3 people found"), "the oversized file imported nothing");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_consent_change_round_trip_is_shown_on_the_person_and_in_the_audit_log() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("head@school.example", Role::Headteacher).await;
        let mut head = browser(&server, "head@school.example", Role::Headteacher).await;
        upload(&mut head, ROSTER).await;

        let list = head.get("/people?q=yus&kind=pupil").await;
        assert!(list.body.contains("1 person found") && list.body.contains("Yus Ali"), "{}", list.body);
        assert_accessible(&list, "people list");
        let bad_filter = head.get("/people?year=15&current=sometimes").await;
        assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_filter.body.contains("href=\"#year\"") && bad_filter.body.contains("href=\"#current\""));
        assert_accessible(&bad_filter, "people list with errors");

        let person = head.get(&link_to(&list, "Yus Ali")).await;
        assert_eq!(person.status, StatusCode::OK);
        assert_eq!(person.text_of_id("state-photo_online").as_deref(), Some("Refused"));
        assert_eq!(person.text_of_id("state-photo_press").as_deref(), Some("Not recorded"));
        assert_accessible(&person, "person");

        let change = link_to(&person, "Change<span class=\"visually-hidden\"> Photographs on");
        let form = head.get(&change).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_accessible(&form, "consent form");
        let invalid = head.post(&change, &[("state", "granted"), ("expires_on", "31/07/2099")]).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            invalid.body.contains("href=\"#source\"") && invalid.body.contains("href=\"#expires_on\""),
            "{}",
            invalid.body
        );
        assert!(invalid.body.contains("aria-invalid=\"true\""));
        assert_accessible(&invalid, "consent form with errors");

        let saved =
            head.post(&change, &[("state", "granted"), ("source", "paper_form"), ("expires_on", "2099-07-31")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let after = head.get(saved.location().unwrap()).await;
        assert_eq!(after.text_of_id("state-photo_online").as_deref(), Some("Granted"));
        assert!(
            after.body.contains("Paper form") && after.body.contains("2099-07-31") && after.body.contains(">head<"),
            "{}",
            after.body
        );

        let log = head.get("/audit?action=consent.set").await;
        assert!(log.body.contains("<code>consent.set</code>") && log.body.contains("paper_form"), "{}", log.body);
        assert_accessible(&log, "audit log");
        server.stop().await;
    }
}

#[tokio::test]
async fn channel_credentials_are_never_shown_again_and_grants_and_refusals_are_visible() {
    const SECRET: &str = "EAAB-the-page-token-nobody-may-read-back-91c2";
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("head@school.example", Role::Headteacher).await;
        let teacher = server.user("teacher@school.example", Role::Staff).await;
        let mut head = browser(&server, "head@school.example", Role::Headteacher).await;
        let mut teacher_browser = browser(&server, "teacher@school.example", Role::Staff).await;

        let form = head.get("/channels/new").await;
        assert_accessible(&form, "channel form");
        let invalid = head.post("/channels", &[("name", "School page"), ("url", "facebook.com")]).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            ["#kind", "#handle", "#url"].iter().all(|f| invalid.body.contains(&format!("href=\"{f}\""))),
            "{}",
            invalid.body
        );
        let created = head
            .post("/channels", &[("kind", "facebook_page"), ("name", "School page"), ("handle", "darulmadinah")])
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let channel = created.location().unwrap().to_string();
        let shown = head.get(&channel).await;
        assert!(shown.text_of_id("credentials-status").unwrap().starts_with("No credentials are set."));

        // Refused: a member of staff without a grant, by page and by API, is recorded and shown.
        assert_eq!(teacher_browser.get(&channel).await.status, StatusCode::FORBIDDEN);
        let principal = server.store.principal(&teacher).await.unwrap();
        let token =
            server.store.create_api_token(&principal, Origin::LOCAL, "t", &["read".into()]).await.unwrap().secret;
        let id = channel.trim_start_matches("/channels/");
        let api = reqwest::Client::new().get(server.url(&format!("/api/v1/channels/{id}"))).bearer_auth(&token);
        assert_eq!(api.send().await.unwrap().status(), StatusCode::FORBIDDEN);
        let shown = head.get(&channel).await;
        let refused_section = &shown.body[shown.body.find("id=\"refused\"").unwrap()..];
        assert_eq!(refused_section.matches("<tr class=\"refused\">").count(), 2, "{refused_section}");
        assert!(refused_section.contains("teacher") && refused_section.contains("<strong>Refused:</strong>"));
        let refused_view = head.get("/audit?outcome=denied").await;
        assert_eq!(refused_view.body.matches("<tr class=\"refused\">").count(), 2);
        assert!(refused_view.body.contains("aria-current=\"page\">Refused attempts"));
        assert_accessible(&shown, "channel page");

        // Credentials: stored, dated, never displayed.
        let entry = head.get(&format!("{channel}/credentials")).await;
        assert!(entry.body.contains("type=\"password\""));
        assert_accessible(&entry, "credentials form");
        let empty = head.post(&format!("{channel}/credentials"), &[("credentials", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let stored = head.post(&format!("{channel}/credentials"), &[("credentials", SECRET)]).await;
        assert_eq!(stored.status, StatusCode::SEE_OTHER);
        let shown = head.get(&channel).await;
        assert!(shown.text_of_id("credentials-status").unwrap().starts_with("Credentials set on 20"), "{}", shown.body);
        assert!(shown.body.contains("Replace the credentials"));

        // Grant the teacher, who then sees the channel; revoke, and they no longer do.
        let granted = head.post(&format!("{channel}/grants"), &[("user", &teacher.0), ("may_post", "on")]).await;
        assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
        let with_grant = teacher_browser.get(&channel).await;
        assert_eq!(with_grant.status, StatusCode::OK);
        assert!(with_grant.body.contains("You may post.") && with_grant.body.contains("You may not moderate."));
        assert!(!with_grant.body.contains("id=\"refused\""), "refused attempts are for the headteacher");
        assert!(teacher_browser.get("/people").await.status == StatusCode::OK, "posting staff check consents");
        let revoke = head.post(&format!("{channel}/grants/{}/revoke", teacher.0), &[]).await;
        assert_eq!(revoke.status, StatusCode::SEE_OTHER);
        assert_eq!(teacher_browser.get(&channel).await.status, StatusCode::FORBIDDEN);

        let edit = head.get(&format!("{channel}/edit")).await;
        assert_accessible(&edit, "channel edit");
        let paused = head
            .post(
                &channel,
                &[
                    ("kind", "facebook_page"),
                    ("name", "School Facebook Page"),
                    ("handle", "darulmadinah"),
                    ("status", "paused"),
                ],
            )
            .await;
        assert_eq!(paused.status, StatusCode::SEE_OTHER, "{}", paused.body);
        let list = head.get("/channels").await;
        assert!(
            list.body.contains("School Facebook Page")
                && list.body.contains("Paused")
                && list.body.contains("Set on 20")
        );
        assert_accessible(&list, "channel list");

        // Not one response, page or download, carries the credentials.
        let mut seen = vec![
            list,
            shown,
            head.get(&format!("{channel}/credentials")).await,
            head.get(&format!("{channel}/edit")).await,
        ];
        for path in ["/audit", "/audit/export.csv", "/audit/export.json", "/"] {
            seen.push(head.get(path).await);
        }
        for page in &seen {
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                !page.body.contains(SECRET) && !page.body.contains("nobody-may-read-back"),
                "credentials shown: {}",
                page.body
            );
        }
        assert!(seen[5].body.contains("channel.credentials_set"), "the export has the entry, not the value");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_suggestion_goes_from_a_teacher_to_the_headteacher_and_back_with_a_note() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("head@school.example", Role::Headteacher).await;
        server.user("teacher@school.example", Role::Staff).await;
        let mut teacher = browser(&server, "teacher@school.example", Role::Staff).await;
        let mut head = browser(&server, "head@school.example", Role::Headteacher).await;

        let page = teacher.get("/suggestions").await;
        assert!(page.body.contains("You have not suggested anything yet."));
        assert_accessible(&page, "suggestions (staff)");
        let empty = teacher.post("/suggestions", &[("text", "   ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("href=\"#text\""));
        let sent = teacher.post("/suggestions", &[("text", "The Year 6 <b>leavers'</b> assembly")]).await;
        assert_eq!(sent.location(), Some("/suggestions?sent=1"));
        let confirmed = teacher.get("/suggestions?sent=1").await;
        assert!(confirmed.text_of_id("sent").is_some());
        assert!(
            confirmed.body.contains("&#60;b&#62;leavers")
                && !confirmed.body.contains("<b>")
                && confirmed.body.contains("Waiting for the headteacher"),
            "escaped"
        );

        let queue = head.get("/suggestions").await;
        assert!(queue.body.contains("<strong>teacher</strong>"), "{}", queue.body);
        assert_accessible(&queue, "suggestions (headteacher)");
        let marker = "action=\"/suggestions/";
        let at = queue.body.find(marker).unwrap() + marker.len();
        let id = &queue.body[at..at + queue.body[at..].find('/').unwrap()];
        let no_note = head.post(&format!("/suggestions/{id}/decision"), &[("decision", "decline")]).await;
        assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY, "a decline needs a note");
        assert!(no_note.body.contains(&format!("href=\"#note-{id}\"")), "the summary links to the note");
        assert!(no_note.body.contains(&format!("id=\"note-{id}-error\"")));
        assert_accessible(&no_note, "queue with a problem");
        let declined = head
            .post(
                &format!("/suggestions/{id}/decision"),
                &[("decision", "decline"), ("note", "Lovely, but after the photos are consented")],
            )
            .await;
        assert_eq!(declined.status, StatusCode::SEE_OTHER);
        let twice = head.post(&format!("/suggestions/{id}/decision"), &[("decision", "accept")]).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert!(head.get("/suggestions").await.body.contains("No suggestions are waiting."));

        let mine = teacher.get("/suggestions").await;
        assert!(
            mine.body.contains("Declined") && mine.body.contains("after the photos are consented"),
            "{}",
            mine.body
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_audit_log_filters_and_downloads_as_csv_and_json() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        server.user("head@school.example", Role::Headteacher).await;
        let governor = server.user("governor@school.example", Role::Governor).await;
        let mut head = browser(&server, "head@school.example", Role::Headteacher).await;
        let mut governor_browser = browser(&server, "governor@school.example", Role::Governor).await;
        assert_eq!(governor_browser.get("/audit").await.status, StatusCode::FORBIDDEN);

        let by_governor = head.get(&format!("/audit?actor={}", governor.0)).await;
        assert_eq!(by_governor.body.matches("<tr class=\"refused\">").count(), 1, "{}", by_governor.body);
        assert!(by_governor.body.contains("<strong>Refused</strong>"), "words, not colour alone");
        assert!(by_governor.body.contains(&format!("<option value=\"{}\" selected>", governor.0)));
        let bad = head.get("/audit?from=25/11/2026&outcome=nope").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#from\"") && bad.body.contains("href=\"#outcome\""));
        assert_accessible(&bad, "audit log with errors");

        let csv = head.get("/audit/export.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-disposition").unwrap().contains(".csv\""));
        let mut lines = csv.body.lines();
        assert!(lines.next().unwrap().starts_with("school,seq,at,actor,action"));
        assert!(lines.any(|l| l.contains(",audit.read,") && l.contains(",denied,")), "{}", csv.body);
        let json = head.get("/audit/export.json").await;
        assert!(json.header("content-type").unwrap().starts_with("application/json"));
        let entries: serde_json::Value = serde_json::from_str(&json.body).unwrap();
        let entries = entries.as_array().unwrap();
        assert!(entries.windows(2).all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64()), "oldest first");
        assert!(entries.iter().any(|e| e["action"] == "audit.export"), "the CSV export was recorded");
        server.stop().await;
    }
}

#[tokio::test]
async fn governors_see_figures_and_nothing_about_anyone() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        server.user("governor@school.example", Role::Governor).await;
        let principal = server.store.principal(&head).await.unwrap();
        let new = NewChannel { kind: ChannelKind::XAccount, name: "X".into(), handle: "@school".into(), url: None };
        server.store.add_channel(&principal.channel_admin().unwrap(), Origin::LOCAL, &new).await.unwrap();
        let uses: Vec<String> = ["name_online", "photo_online", "photo_press"].map(String::from).to_vec();
        let plan = school::import::parse(ROSTER.as_bytes(), &uses).unwrap();
        server.store.apply_import(&principal.people_admin().unwrap(), Origin::LOCAL, &plan).await.unwrap();

        let mut governor = browser(&server, "governor@school.example", Role::Governor).await;
        let dashboard = governor.get("/").await;
        let nav = &dashboard.body[dashboard.body.find("class=\"site-nav\"").unwrap()..];
        assert!(nav.contains("<a href=\"/figures\">Figures</a>"), "governors find the figures in the navigation");
        assert_eq!(dashboard.text_of_id("dashboard-pupils").as_deref(), Some("3"), "and on the dashboard");
        assert_eq!(dashboard.text_of_id("dashboard-consent-photo_online").as_deref(), Some("2"));
        assert_eq!(dashboard.text_of_id("dashboard-channels").as_deref(), Some("1"));
        assert!(!dashboard.body.contains("Amina"), "counts only on the dashboard too");
        assert_accessible(&dashboard, "governor's dashboard");

        let figures = governor.get("/figures").await;
        assert_eq!(figures.status, StatusCode::OK);
        assert!(figures.body.contains("<a href=\"/figures\" aria-current=\"page\">Figures</a>"), "marked as current");
        assert_eq!(figures.text_of_id("figure-pupils").as_deref(), Some("3"));
        assert_eq!(figures.text_of_id("figure-consent-photo_online").as_deref(), Some("2"), "Amina and Omar");
        assert_eq!(figures.text_of_id("figure-consent-name_online").as_deref(), Some("2"), "Amina and Yusuf");
        assert_eq!(figures.text_of_id("figure-channels").as_deref(), Some("1"));
        assert!(!figures.body.contains("Amina") && !figures.body.contains("A100"));
        assert_accessible(&figures, "figures");
        assert_eq!(governor.get("/people").await.status, StatusCode::FORBIDDEN);
        server.stop().await;
    }
}

#[tokio::test]
async fn parents_and_the_pupils_they_are_responsible_for_are_linked_both_ways() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        let principal = server.store.principal(&head).await.unwrap();
        let admin = principal.people_admin().unwrap();
        let uses: Vec<String> = ["name_online", "photo_online", "photo_press"].map(String::from).to_vec();
        let plan = school::import::parse(ROSTER.as_bytes(), &uses).unwrap();
        server.store.apply_import(&admin, Origin::LOCAL, &plan).await.unwrap();
        let reader = principal.people_reader().unwrap();
        let filter = school::people::PeopleFilter { name: Some("A100".into()), ..Default::default() };
        let pupil = server.store.people(&reader, &filter).await.unwrap().remove(0);
        let details = school::people::PersonDetails {
            external_id: Some("C-7".into()),
            kind: school::people::PersonKind::Parent,
            legal_first: "Fatima".into(),
            legal_last: "Begum".into(),
            preferred_first: None,
            year: None,
            reg_group: None,
            current: true,
        };
        let parent = server.store.add_person(&admin, Origin::LOCAL, &details).await.unwrap();
        let link = school::people::ParentLink {
            parent: parent.id.clone(),
            pupil: pupil.id.clone(),
            relationship: Some("mother".into()),
        };
        server.store.link_parent(&admin, Origin::LOCAL, &link).await.unwrap();

        let mut browser = browser(&server, "head@school.example", Role::Headteacher).await;
        let pupil_page = browser.get(&format!("/people/{}", pupil.id.0)).await;
        assert!(
            pupil_page.body.contains(&format!("<a href=\"/people/{}\">Fatima Begum</a> (mother)", parent.id.0)),
            "{}",
            pupil_page.body
        );
        let parent_page = browser.get(&format!("/people/{}", parent.id.0)).await;
        assert!(parent_page.body.contains("Pupils they are responsible for"));
        assert!(parent_page.body.contains(&format!("<a href=\"/people/{}\">Amina Begum</a>", pupil.id.0)));
        let parents = browser.get("/people?kind=parent").await;
        assert!(parents.body.contains("1 person found") && parents.body.contains("Fatima Begum"));

        let token =
            server.store.create_api_token(&principal, Origin::LOCAL, "t", &["read".into()]).await.unwrap().secret;
        let api = reqwest::Client::new().get(server.url(&format!("/api/v1/people/{}", pupil.id.0))).bearer_auth(&token);
        let detail: serde_json::Value = api.send().await.unwrap().json().await.unwrap();
        assert_eq!(detail["parents"][0]["person"]["display_name"], "Fatima Begum");
        assert_eq!(detail["parents"][0]["relationship"], "mother");
        assert_eq!(detail["children"].as_array().unwrap().len(), 0);
        server.stop().await;
    }
}

#[tokio::test]
async fn the_headteacher_sets_up_the_schools_sign_in_provider_and_its_secret_is_never_shown() {
    use school::audit::actions;
    const SECRET: &str = "provider-client-secret-0123";
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head_id = server.user("head@school.example", Role::Headteacher).await;
        let mut head = browser(&server, "head@school.example", Role::Headteacher).await;
        let account = head.get("/account").await;
        assert_eq!(link_to(&account, "set up the school"), "/account/sign-in-providers");

        let empty = head.get("/account/sign-in-providers").await;
        assert_eq!(empty.status, StatusCode::OK);
        assert_eq!(empty.text_of_id("redirect-uri"), Some(format!("{}/auth/oidc/callback", server.base)));
        assert_accessible(&empty, "sign-in providers");

        let wrong = [
            ("name", "Microsoft 365"),
            ("issuer", "http://login.microsoftonline.com/tenant/v2.0"),
            ("client_id", "gatehouse-app"),
            ("client_secret", SECRET),
            ("allowed_domain", "not a domain"),
        ];
        let refused = head.post("/account/sign-in-providers", &wrong).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["issuer", "allowed_domain"] {
            assert!(refused.body.contains(&format!("href=\"#{field}\"")), "the summary names {field}");
            assert!(refused.body.contains(&format!("id=\"{field}-error\"")), "{field}'s own message");
        }
        assert!(!refused.body.contains("href=\"#client_id\""), "a good field is not reported");
        assert!(refused.body.contains("value=\"gatehouse-app\""), "what was typed is kept");
        assert!(!refused.body.contains(SECRET), "but never the secret");
        assert_accessible(&refused, "sign-in providers with errors");
        assert!(server.store.oidc_providers(&server.school).await.unwrap().is_empty(), "nothing saved");

        let good = [
            ("name", "Microsoft 365"),
            ("issuer", "https://login.microsoftonline.com/tenant/v2.0"),
            ("client_id", "gatehouse-app"),
            ("client_secret", SECRET),
            ("allowed_domain", "@School.Example"),
        ];
        let saved = head.post("/account/sign-in-providers", &good).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let listed = head.get(saved.location().unwrap()).await;
        assert!(listed.body.contains("id=\"saved\"") && listed.body.contains("gatehouse-app"));
        assert!(listed.body.contains("school.example") && !listed.body.contains(SECRET), "listed without its secret");

        let providers = server.store.oidc_providers(&server.school).await.unwrap();
        assert_eq!(providers.len(), 1);
        let key = &server.state.config.secret_key;
        let secret = server.store.oidc_client_secret(key, &providers[0].id).await.unwrap();
        assert_eq!(secret.expose_secret(), SECRET, "stored encrypted, for the code exchange");
        let sign_in = server.client().get("/sign-in").await;
        assert!(sign_in.body.contains("Microsoft 365"), "the sign-in page offers it");

        // The same issuer again replaces it.
        let replace = [
            ("name", "Office 365"),
            ("issuer", "https://login.microsoftonline.com/tenant/v2.0"),
            ("client_id", "gatehouse-app-2"),
            ("client_secret", "a-new-client-secret"),
            ("allowed_domain", "school.example"),
        ];
        assert_eq!(head.post("/account/sign-in-providers", &replace).await.status, StatusCode::SEE_OTHER);
        let providers = server.store.oidc_providers(&server.school).await.unwrap();
        assert_eq!((providers.len(), providers[0].client_id.as_str()), (1, "gatehouse-app-2"));

        let head = server.store.principal(&head_id).await.unwrap();
        let filter = store::AuditFilter { action: Some(actions::OIDC_PROVIDER_SET.into()), ..Default::default() };
        let recorded = server.store.audit(&head.audit_reader().unwrap(), &filter).await.unwrap();
        assert_eq!(recorded.len(), 2, "each save audited once, the refused form not at all");
        assert!(recorded.iter().all(|e| e.actor.to_string() == head_id.0 && e.from.as_deref() == Some("127.0.0.1")));
        assert!(recorded.iter().all(|e| !e.detail.contains(SECRET)), "the log never holds the secret");
        server.stop().await;
    }
}
