//! The JSON API under `/api/v1` as a program sees it: bearer tokens, status codes (201, 204, 400 with
//! the field at fault, 401, 403, 404, 409), the bodies, and the OpenAPI document that describes them.

mod support;

use reqwest::{Method, StatusCode};
use school::access::{Role, UserId};
use serde_json::{Value, json};
use store::Origin;
use support::{Options, Page, Server, databases, read};

/// A token for `user`, read-and-change unless `read_only`.
async fn token(server: &Server, user: &UserId, read_only: bool) -> String {
    let principal = server.store.principal(user).await.unwrap();
    let scopes: Vec<String> = if read_only { vec!["read".into()] } else { vec!["read".into(), "write".into()] };
    server.store.create_api_token(&principal, Origin::LOCAL, "test", &scopes).await.unwrap().secret
}

/// Calls the API; `body` is JSON unless it is a CSV string for the import.
async fn call(server: &Server, token: &str, method: &str, path: &str, body: Option<Value>) -> Page {
    let mut request = reqwest::Client::new()
        .request(Method::from_bytes(method.as_bytes()).unwrap(), server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.unwrap()).await
}

async fn csv(server: &Server, token: &str, body: &str) -> Page {
    let request = reqwest::Client::new()
        .post(server.url("/api/v1/people/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body.to_string());
    read(request.send().await.unwrap()).await
}

fn json_of(page: &Page) -> Value {
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}: {}", page.body))
}

/// Asserts a 400 naming `field`.
fn bad(page: &Page, field: &str) {
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "{}", page.body);
    let body = json_of(page);
    assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("invalid_input"), Some(field)), "{body}");
    assert!(body["operation_id"].as_str().is_some_and(|id| !id.is_empty()));
}

const ROSTER: &str = "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: photo_online,Consent: name_online\n\
                      A100,Amina,Begum,,3,3K,Y,Y\n\
                      ,No,Upn,,3,3K,Y,Y\n\
                      A102,Yusuf,Ali,Yus,4,4M,N,\n\
                      A103,Sara,Khan,,14,4M,Y,\n\
                      A104,Omar,Farooq,,R,RB,maybe,\n";

#[tokio::test]
async fn import_reports_rejected_rows_by_number_and_changes_nothing_the_second_time() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        let head = token(&server, &head, false).await;

        let first = csv(&server, &head, ROSTER).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let report = json_of(&first);
        assert_eq!(
            (report["added"].as_u64(), report["updated"].as_u64(), report["rejected"].as_u64()),
            (Some(2), Some(0), Some(3))
        );
        let rows: Vec<(u64, String)> = report["rejected_rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["row"].as_u64().unwrap(), r["reason"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 5, 6]);
        assert!(rows[0].1.contains("UPN") && rows[1].1.contains("Year") && rows[2].1.contains("maybe"), "{rows:?}");

        let again = json_of(&csv(&server, &head, ROSTER).await);
        assert_eq!(
            (again["added"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(0), Some(2))
        );
        assert_eq!(again["consents_changed"].as_u64(), Some(0));

        bad(&csv(&server, &head, "UPN,Forename\nA1,Amy\n").await, "file");
        let people = json_of(&call(&server, &head, "GET", "/api/v1/people?kind=pupil", None).await);
        assert_eq!(people.as_array().unwrap().len(), 2, "{people}");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_consent_changed_through_the_api_reads_back_and_bad_input_names_its_field() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head_id = server.user("head@school.example", Role::Headteacher).await;
        let head = token(&server, &head_id, false).await;
        let read_only = token(&server, &head_id, true).await;
        csv(&server, &head, ROSTER).await;
        let people = json_of(&call(&server, &head, "GET", "/api/v1/people?q=amina", None).await);
        let id = people[0]["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/people/{id}/consents/photo_online");

        let change = json!({"state": "withdrawn", "source": "parent"});
        let changed = call(&server, &head, "PUT", &path, Some(change.clone())).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let consent = json_of(&changed);
        assert_eq!(
            (consent["use"].as_str(), consent["state"].as_str(), consent["source"].as_str()),
            (Some("photo_online"), Some("withdrawn"), Some("parent"))
        );
        assert_eq!(consent["by"].as_str(), Some(head_id.0.as_str()));

        let person = json_of(&call(&server, &head, "GET", &format!("/api/v1/people/{id}"), None).await);
        let photo = person["consents"].as_array().unwrap().iter().find(|c| c["use"] == "photo_online").unwrap().clone();
        assert_eq!(photo["state"], "withdrawn");
        assert_eq!(person["person"]["external_id"], "A100");

        bad(&call(&server, &head, "PUT", &path, Some(json!({"state": "maybe", "source": "parent"}))).await, "state");
        bad(&call(&server, &head, "PUT", &path, Some(json!({"source": "parent"}))).await, "state");
        bad(
            &call(
                &server,
                &head,
                "PUT",
                &path,
                Some(json!({"state": "refused", "source": "parent", "expires_on": "2099-01-01"})),
            )
            .await,
            "expires_on",
        );
        let granted = json!({"state": "granted", "source": "paper_form", "expires_on": "2099-07-31"});
        let lapsing = json_of(&call(&server, &head, "PUT", &path, Some(granted)).await);
        assert!(lapsing["expires_at"].as_str().unwrap().starts_with("2099-07-31"), "{lapsing}");

        let refused = call(&server, &read_only, "PUT", &path, Some(change.clone())).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "a read-only token changes nothing");
        let unknown_use =
            call(&server, &head, "PUT", &format!("/api/v1/people/{id}/consents/swimming"), Some(change.clone())).await;
        assert_eq!(unknown_use.status, StatusCode::NOT_FOUND);
        let unknown_person = call(&server, &head, "GET", "/api/v1/people/no-such-person", None).await;
        assert_eq!(unknown_person.status, StatusCode::NOT_FOUND);
        assert_eq!(json_of(&unknown_person)["code"], "not_found");
        let anonymous = read(reqwest::Client::new().get(server.url("/api/v1/people")).send().await.unwrap()).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        bad(&call(&server, &head, "GET", "/api/v1/people?year=15", None).await, "year");
        server.stop().await;
    }
}

#[tokio::test]
async fn channels_grants_and_credentials_that_never_come_back() {
    const SECRET: &str = "EAAB-page-token-that-must-never-be-shown-7f3a";
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        let teacher = server.user("teacher@school.example", Role::Staff).await;
        let governor = server.user("governor@school.example", Role::Governor).await;
        let head = token(&server, &head, false).await;

        let new = json!({"kind": "facebook_page", "name": "School page", "handle": "darulmadinah", "url": "https://facebook.com/darulmadinah"});
        let created = call(&server, &head, "POST", "/api/v1/channels", Some(new.clone())).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let channel = json_of(&created);
        let id = channel["id"].as_str().unwrap().to_string();
        assert_eq!(created.location(), Some(format!("/api/v1/channels/{id}").as_str()));
        assert_eq!((channel["status"].as_str(), channel["has_credentials"].as_bool()), (Some("active"), Some(false)));
        assert_eq!(call(&server, &head, "POST", "/api/v1/channels", Some(new)).await.status, StatusCode::CONFLICT);
        bad(
            &call(
                &server,
                &head,
                "POST",
                "/api/v1/channels",
                Some(json!({"kind": "myspace", "name": "x", "handle": "y"})),
            )
            .await,
            "kind",
        );
        bad(&call(&server, &head, "POST", "/api/v1/channels", Some(json!({"name": "x"}))).await, "kind");

        let stored = call(
            &server,
            &head,
            "PUT",
            &format!("/api/v1/channels/{id}/credentials"),
            Some(json!({"credentials": SECRET})),
        )
        .await;
        assert_eq!(stored.status, StatusCode::NO_CONTENT, "{}", stored.body);
        bad(
            &call(
                &server,
                &head,
                "PUT",
                &format!("/api/v1/channels/{id}/credentials"),
                Some(json!({"credentials": " "})),
            )
            .await,
            "credentials",
        );
        let patched = call(
            &server,
            &head,
            "PATCH",
            &format!("/api/v1/channels/{id}"),
            Some(json!({"status": "paused", "name": "School Facebook Page"})),
        )
        .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        let patched = json_of(&patched);
        assert_eq!(
            (patched["status"].as_str(), patched["name"].as_str(), patched["handle"].as_str()),
            (Some("paused"), Some("School Facebook Page"), Some("darulmadinah"))
        );
        assert_eq!(patched["has_credentials"], true);
        assert!(patched["credentials_set_at"].as_str().is_some());

        let grant = call(
            &server,
            &head,
            "PUT",
            &format!("/api/v1/channels/{id}/grants/{}", teacher.0),
            Some(json!({"may_post": true})),
        )
        .await;
        assert_eq!(grant.status, StatusCode::OK, "{}", grant.body);
        assert_eq!(
            (json_of(&grant)["may_post"].as_bool(), json_of(&grant)["may_moderate"].as_bool()),
            (Some(true), Some(false))
        );
        bad(
            &call(&server, &head, "PUT", &format!("/api/v1/channels/{id}/grants/{}", teacher.0), Some(json!({}))).await,
            "may_post",
        );
        let to_governor = call(
            &server,
            &head,
            "PUT",
            &format!("/api/v1/channels/{id}/grants/{}", governor.0),
            Some(json!({"may_post": true})),
        )
        .await;
        assert_eq!(to_governor.status, StatusCode::BAD_REQUEST, "governors see figures only: {}", to_governor.body);

        // The teacher, now granted, sees the registry; the grant shows; revoking takes it away.
        let teacher_token = token(&server, &teacher, false).await;
        let listed = call(&server, &teacher_token, "GET", "/api/v1/channels", None).await;
        assert_eq!(listed.status, StatusCode::OK);
        let grants = json_of(&call(&server, &head, "GET", &format!("/api/v1/channels/{id}/grants"), None).await);
        assert_eq!(grants.as_array().unwrap().len(), 1);
        let revoked =
            call(&server, &head, "DELETE", &format!("/api/v1/channels/{id}/grants/{}", teacher.0), None).await;
        assert_eq!(revoked.status, StatusCode::NO_CONTENT);
        assert_eq!(call(&server, &teacher_token, "GET", "/api/v1/channels", None).await.status, StatusCode::FORBIDDEN);

        // Nothing the API returns carries the secret: not the channel, the list, the audit log or its exports.
        let mut bodies = Vec::new();
        for path in [
            format!("/api/v1/channels/{id}"),
            "/api/v1/channels".to_string(),
            "/api/v1/audit?limit=1000".to_string(),
            "/api/v1/audit/export?format=csv".to_string(),
            "/api/v1/audit/export?format=json".to_string(),
        ] {
            let page = call(&server, &head, "GET", &path, None).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            bodies.push((path, page.body));
        }
        for (path, body) in &bodies {
            assert!(!body.contains(SECRET) && !body.contains("must-never-be-shown"), "{path} shows the credentials");
        }
        assert!(bodies[2].1.contains("channel.credentials_set"), "the entry is audited, without the value");
        server.stop().await;
    }
}

#[tokio::test]
async fn suggestions_go_to_the_queue_and_are_decided_once() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        let teacher = server.user("teacher@school.example", Role::Staff).await;
        let (head, teacher) = (token(&server, &head, false).await, token(&server, &teacher, false).await);

        let sent = call(
            &server,
            &teacher,
            "POST",
            "/api/v1/suggestions",
            Some(json!({"text": "  Year 2's harvest festival  "})),
        )
        .await;
        assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
        let suggestion = json_of(&sent);
        let id = suggestion["id"].as_str().unwrap().to_string();
        assert_eq!(
            (suggestion["text"].as_str(), suggestion["status"].as_str()),
            (Some("Year 2's harvest festival"), Some("open"))
        );
        bad(&call(&server, &teacher, "POST", "/api/v1/suggestions", Some(json!({"text": ""}))).await, "text");

        let queue = json_of(&call(&server, &head, "GET", "/api/v1/suggestions?status=open", None).await);
        assert_eq!(
            queue.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect::<Vec<_>>(),
            [id.as_str()]
        );
        bad(&call(&server, &head, "GET", "/api/v1/suggestions?status=pending", None).await, "status");

        let decision = format!("/api/v1/suggestions/{id}/decision");
        assert_eq!(
            call(&server, &teacher, "POST", &decision, Some(json!({"decision": "accept"}))).await.status,
            StatusCode::FORBIDDEN
        );
        bad(&call(&server, &head, "POST", &decision, Some(json!({"decision": "decline"}))).await, "note");
        bad(&call(&server, &head, "POST", &decision, Some(json!({"decision": "maybe"}))).await, "decision");
        let declined = call(
            &server,
            &head,
            "POST",
            &decision,
            Some(json!({"decision": "decline", "note": "We covered it last week"})),
        )
        .await;
        assert_eq!(declined.status, StatusCode::OK, "{}", declined.body);
        assert_eq!(json_of(&declined)["status"], "declined");
        let twice = call(&server, &head, "POST", &decision, Some(json!({"decision": "accept"}))).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert_eq!(json_of(&twice)["code"], "conflict");
        let missing =
            call(&server, &head, "POST", "/api/v1/suggestions/nope/decision", Some(json!({"decision": "accept"})))
                .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let own = json_of(&call(&server, &teacher, "GET", "/api/v1/suggestions", None).await);
        assert_eq!(
            (own[0]["status"].as_str(), own[0]["note"].as_str()),
            (Some("declined"), Some("We covered it last week"))
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_audit_log_pages_filters_and_exports() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head_id = server.user("head@school.example", Role::Headteacher).await;
        let teacher_id = server.user("teacher@school.example", Role::Staff).await;
        let governor_id = server.user("governor@school.example", Role::Governor).await;
        let head = token(&server, &head_id, false).await;
        let teacher = token(&server, &teacher_id, false).await;
        let governor = token(&server, &governor_id, false).await;
        for n in 0..3 {
            call(&server, &teacher, "POST", "/api/v1/suggestions", Some(json!({"text": format!("idea {n}")}))).await;
        }
        assert_eq!(call(&server, &teacher, "GET", "/api/v1/audit", None).await.status, StatusCode::FORBIDDEN);
        assert_eq!(call(&server, &governor, "GET", "/api/v1/people", None).await.status, StatusCode::FORBIDDEN);

        let refused = json_of(&call(&server, &head, "GET", "/api/v1/audit?outcome=denied", None).await);
        let refused = refused["entries"].as_array().unwrap().clone();
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused.iter().all(|e| e["outcome"] == "denied"));
        assert_eq!(refused[0]["actor"].as_str(), Some(governor_id.0.as_str()), "newest first");
        assert_eq!(
            (refused[0]["object_kind"].as_str(), refused[0]["object_id"].as_str()),
            (Some("route"), Some("/api/v1/people"))
        );

        let by_teacher = json_of(
            &call(
                &server,
                &head,
                "GET",
                &format!("/api/v1/audit?actor={}&action=suggestion.create", teacher_id.0),
                None,
            )
            .await,
        );
        assert_eq!(by_teacher["entries"].as_array().unwrap().len(), 3);
        assert_eq!(by_teacher["next_before"], Value::Null, "all three on one page: no next page offered");

        // The actor and the days are searched by the database, and paging keeps them.
        let today = time::OffsetDateTime::now_utc().date();
        let (yesterday, tomorrow) = (today.previous_day().unwrap(), today.next_day().unwrap());
        let teachers = format!(
            "/api/v1/audit?actor={}&action=suggestion.create&from={yesterday}&to={tomorrow}&limit=2",
            teacher_id.0
        );
        let page1 = json_of(&call(&server, &head, "GET", &teachers, None).await);
        let next = page1["next_before"].as_i64().expect("a third entry is older");
        let page2 = json_of(&call(&server, &head, "GET", &format!("{teachers}&before={next}"), None).await);
        let texts = |v: &Value| {
            v["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!((texts(&page1).len(), texts(&page2).len()), (2, 1), "{page1} {page2}");
        assert!(texts(&page1).iter().chain(&texts(&page2)).all(|a| a == "suggestion.create"));
        assert_eq!(page2["next_before"], Value::Null, "the last page says so");
        let until_yesterday = format!("/api/v1/audit?actor={}&to={yesterday}", teacher_id.0);
        let none = json_of(&call(&server, &head, "GET", &until_yesterday, None).await);
        assert_eq!(none["entries"].as_array().unwrap().len(), 0, "{none}");
        let first = json_of(&call(&server, &head, "GET", "/api/v1/audit?limit=2", None).await);
        let before = first["next_before"].as_i64().expect("more than two entries");
        let second =
            json_of(&call(&server, &head, "GET", &format!("/api/v1/audit?limit=2&before={before}"), None).await);
        let seqs =
            |v: &Value| v["entries"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect::<Vec<_>>();
        assert!(
            seqs(&second).iter().all(|s| *s < before) && seqs(&first).iter().all(|s| *s >= before),
            "pages do not overlap"
        );
        let today = json_of(&call(&server, &head, "GET", "/api/v1/audit?from=2000-01-01&to=2000-12-31", None).await);
        assert_eq!(today["entries"].as_array().unwrap().len(), 0, "nothing happened in 2000");
        bad(&call(&server, &head, "GET", "/api/v1/audit?outcome=refused", None).await, "outcome");
        bad(&call(&server, &head, "GET", "/api/v1/audit?from=yesterday", None).await, "from");

        let csv = call(&server, &head, "GET", "/api/v1/audit/export?format=csv", None).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        assert!(csv.header("content-disposition").unwrap().starts_with("attachment"));
        let header = csv.body.lines().next().unwrap();
        assert!(header.starts_with("school,seq,at,actor,action") && header.ends_with("prev_hash,hash"), "{header}");
        assert!(csv.body.contains(",denied,"));
        let exported = json_of(&call(&server, &head, "GET", "/api/v1/audit/export?format=json", None).await);
        let entries = exported.as_array().unwrap();
        assert_eq!(entries.first().unwrap()["seq"], 1, "oldest first");
        assert!(entries.iter().any(|e| e["action"] == "suggestion.create"));
        bad(&call(&server, &head, "GET", "/api/v1/audit/export?format=xml", None).await, "format");
        server.stop().await;
    }
}

#[tokio::test]
async fn figures_are_counts_only() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head = server.user("head@school.example", Role::Headteacher).await;
        let governor = server.user("governor@school.example", Role::Governor).await;
        let (head, governor) = (token(&server, &head, false).await, token(&server, &governor, false).await);
        csv(&server, &head, ROSTER).await;
        let figures = call(&server, &governor, "GET", "/api/v1/figures", None).await;
        assert_eq!(figures.status, StatusCode::OK);
        let f = json_of(&figures);
        assert_eq!(
            (f["pupils"].as_u64(), f["channels"].as_u64(), f["open_suggestions"].as_u64()),
            (Some(2), Some(0), Some(0))
        );
        let photo =
            f["consents_granted"].as_array().unwrap().iter().find(|u| u["use"] == "photo_online").unwrap().clone();
        assert_eq!(photo["granted"], 1, "Amina Y, Yusuf N");
        assert!(!figures.body.contains("Amina") && !figures.body.contains("A100"), "no names");
        server.stop().await;
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_with_its_schemas() {
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let page = read(reqwest::get(server.url("/api/v1/openapi.json")).await.unwrap()).await;
        assert_eq!(page.status, StatusCode::OK);
        let doc = json_of(&page);
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let expected = [
            ("get", "/api/v1/people"),
            ("get", "/api/v1/people/{id}"),
            ("put", "/api/v1/people/{id}/consents/{use}"),
            ("post", "/api/v1/people/import"),
            ("get", "/api/v1/channels"),
            ("post", "/api/v1/channels"),
            ("get", "/api/v1/channels/{id}"),
            ("patch", "/api/v1/channels/{id}"),
            ("put", "/api/v1/channels/{id}/credentials"),
            ("get", "/api/v1/channels/{id}/grants"),
            ("put", "/api/v1/channels/{id}/grants/{user}"),
            ("delete", "/api/v1/channels/{id}/grants/{user}"),
            ("get", "/api/v1/suggestions"),
            ("post", "/api/v1/suggestions"),
            ("post", "/api/v1/suggestions/{id}/decision"),
            ("get", "/api/v1/audit"),
            ("get", "/api/v1/audit/export"),
            ("get", "/api/v1/figures"),
        ];
        for (method, path) in expected {
            let op = &doc["paths"][path][method];
            assert!(op.is_object(), "{method} {path} is not documented");
            assert!(op["security"][0].get("bearer").is_some(), "{method} {path} needs a token");
            for status in ["401", "403"] {
                assert!(op["responses"][status].is_object(), "{method} {path} documents {status}");
            }
        }
        let schemas = &doc["components"]["schemas"];
        for name in [
            "Person",
            "PersonDetail",
            "Consent",
            "ConsentChange",
            "ImportReport",
            "Channel",
            "ChannelInput",
            "Grant",
            "Suggestion",
            "AuditEntry",
            "Figures",
            "ErrorBody",
        ] {
            assert!(schemas[name].is_object(), "schema {name} is missing");
        }
        let states = schemas["Consent"]["properties"]["state"]["enum"].as_array().unwrap();
        assert_eq!(states.len(), 4, "the states come from the domain: {states:?}");
        let credentials = &schemas["ChannelCredentials"]["properties"]["credentials"];
        assert_eq!(
            (credentials["format"].as_str(), credentials["writeOnly"].as_bool()),
            (Some("password"), Some(true))
        );
        assert!(!schemas["Channel"]["properties"].as_object().unwrap().contains_key("credentials"));
        server.stop().await;
    }
}

#[tokio::test]
async fn a_read_only_token_is_refused_every_change_and_each_refusal_is_audited() {
    use school::audit::{Actor, Outcome};
    for db in databases().await {
        let server = Server::start(db, Options::default()).await;
        let head_id = server.user("head@school.example", Role::Headteacher).await;
        let teacher_id = server.user("teacher@school.example", Role::Staff).await;
        let read_only = token(&server, &teacher_id, true).await;

        let reading = call(&server, &read_only, "GET", "/api/v1/suggestions", None).await;
        assert_eq!(reading.status, StatusCode::OK, "reading is what the token is for: {}", reading.body);
        let suggest = json!({"text": "The choir at the care home"});
        let refused = call(&server, &read_only, "POST", "/api/v1/suggestions", Some(suggest)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(json_of(&refused)["code"], "forbidden");
        let head = token(&server, &head_id, false).await;
        let queue = json_of(&call(&server, &head, "GET", "/api/v1/suggestions", None).await);
        assert!(!queue.to_string().contains("care home"), "nothing was suggested: {queue}");
        let patch = call(&server, &read_only, "PATCH", "/api/v1/channels/any", Some(json!({"status": "active"}))).await;
        assert_eq!(patch.status, StatusCode::FORBIDDEN, "refused whatever the route would have said");

        let principal = server.store.principal(&head_id).await.unwrap();
        let filter = store::AuditFilter { outcome: Some(Outcome::Denied), ..Default::default() };
        let denied = server.store.audit(&principal.audit_reader().unwrap(), &filter).await.unwrap();
        let recorded: Vec<(&str, &str, &str)> =
            denied.iter().map(|e| (e.action.as_str(), e.object_kind.as_str(), e.object_id.as_str())).rev().collect();
        assert_eq!(
            recorded,
            [
                (web::READ_ONLY_TOKEN_WRITE, "route", "/api/v1/suggestions"),
                (web::READ_ONLY_TOKEN_WRITE, "route", "/api/v1/channels/any")
            ],
            "each refusal once, and the GET not at all"
        );
        for entry in &denied {
            assert_eq!(entry.actor, Actor::from_user(&teacher_id));
            assert_eq!(entry.from.as_deref(), Some("127.0.0.1"), "with the address it came from");
        }
        server.stop().await;
    }
}
