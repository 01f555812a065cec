//! The server in a real browser: Debian's Chromium, headless, driven through its chromedriver with
//! thirtyfour. A headteacher signs in with a password and enrols TOTP (the code computed here from the
//! key the page shows), imports a roster by uploading a CSV, changes a consent, registers a channel and
//! grants it to a member of staff; that member of staff is refused the channels admin page, and the
//! headteacher then finds the refusal in the audit log.
//!
//! axe-core (npm, pinned in `tests/browser/package.json`) runs on every page visited with the WCAG 2.2
//! AA rule tags; the test fails listing each violation (page, rule, impact, elements).
//!
//! Chromium, chromedriver and node come from Debian's packages (`.ci/run` installs them). Without them
//! the test says so and skips — except on CI (`CI` set), where their absence is a failure.

#[path = "browser/harness.rs"]
mod harness;

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use harness::{Gatehouse, Helper};
use school::access::Role;
use thirtyfour::ChromeCapabilities;
use thirtyfour::prelude::*;

const HEAD: &str = "head@school.example";
const TEACHER: &str = "teacher@school.example";
const PASSWORD: &str = "correct horse battery staple";

/// The axe-core rule tags for WCAG 2.2 level AA (A and AA of 2.0, 2.1 and 2.2's new AA rules).
const WCAG_22_AA: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Chromium as this machine can run it: headless, no sandbox (root in a container), and none of the
/// background connections that a closed network refuses.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
];

/// A roster as an MIS exports it: two pupils and one row the import must refuse (no UPN, row 4).
const ROSTER: &str = "UPN,Forename,Surname,Preferred Forename,Year,Reg Group,Consent: name_online,Consent: photo_online\n\
                      A100000000001,Amira,Khan,,3,3K,Y,N\n\
                      A100000000002,Yusuf,Ahmed,Yus,4,4A,N,Y\n\
                      ,Nameless,Row,,4,4A,Y,Y\n";

/// The browser, and every accessibility violation found so far.
struct Browser {
    driver: WebDriver,
    base: String,
    axe: String,
    violations: Vec<String>,
    pages: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_runs_its_day_in_a_real_browser_and_every_page_meets_wcag_22_aa() {
    let needed = [("node", "nodejs"), ("chromium", "chromium"), ("chromedriver", "chromium-driver")];
    if !harness::require("browser test", &needed) {
        return;
    }
    let axe_dir = harness::tests_dir().join("browser");
    harness::npm_packages(&axe_dir);
    let axe = std::fs::read_to_string(axe_dir.join("node_modules/axe-core/axe.min.js")).expect("axe-core installed");

    let gatehouse = Gatehouse::start().await;
    let head = gatehouse.user(HEAD, Role::Headteacher, Some(PASSWORD)).await;
    gatehouse.user(TEACHER, Role::Staff, Some(PASSWORD)).await;
    school_account_button(&gatehouse, &head).await;

    let (_chromedriver, port) = chromedriver().await;
    let profile = tempfile::tempdir().unwrap();
    let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), capabilities(profile.path())).await.unwrap();
    let browser =
        Browser { driver: driver.clone(), base: gatehouse.base.clone(), axe, violations: vec![], pages: vec![] };

    // The flows run in a task of their own so that, pass or fail, the browser is closed afterwards.
    let outcome = tokio::spawn(school_day(browser)).await;
    driver.quit().await.unwrap();
    gatehouse.stop().await;
    let browser = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic.into_panic()));
    assert!(
        browser.violations.is_empty(),
        "WCAG 2.2 AA violations (axe-core) on the pages visited:\n{}",
        browser.violations.join("\n")
    );
    eprintln!("axe-core found no WCAG 2.2 AA violations on: {}", browser.pages.join(", "));
}

async fn school_day(mut browser: Browser) -> Browser {
    let key = headteacher_signs_in_and_enrols(&mut browser).await;
    imports_a_roster(&mut browser).await;
    changes_a_consent(&mut browser).await;
    registers_a_channel_and_grants_it(&mut browser).await;
    visits_the_other_pages(&mut browser).await;
    sign_out(&mut browser).await;
    staff_member_is_refused_the_channels_admin_page(&mut browser).await;
    sign_out(&mut browser).await;
    headteacher_finds_the_refusal_in_the_audit_log(&mut browser, &key).await;
    browser
}

/// Configures an OIDC provider so the sign-in page shows (and axe checks) its "Sign in with your school
/// account" button. Nothing here presses it: `oidc.rs` tests that flow against a real provider.
async fn school_account_button(gatehouse: &Gatehouse, head: &school::access::UserId) {
    let provider = store::NewOidcProvider {
        name: "Microsoft 365".into(),
        issuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0".into(),
        client_id: "gatehouse".into(),
        client_secret: "not used here".into(),
        allowed_domain: Some("school.example".into()),
    };
    let principal = gatehouse.headteacher(head);
    let admin = principal.user_admin().unwrap();
    gatehouse.store.set_oidc_provider(&admin, store::Origin(None), &gatehouse.key, &provider).await.unwrap();
}

/// chromedriver on a port of its choosing; it says which.
async fn chromedriver() -> (Helper, u16) {
    let mut command = Command::new("chromedriver");
    command.args(["--port=0", "--log-level=WARNING"]);
    Helper::start(command, |line| {
        let rest = line.split("started successfully on port ").nth(1)?;
        rest.trim_end_matches('.').trim().parse().ok()
    })
    .await
}

fn capabilities(profile: &Path) -> ChromeCapabilities {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium").unwrap();
    for flag in CHROMIUM_FLAGS {
        caps.add_arg(flag).unwrap();
    }
    caps.add_arg(&format!("--user-data-dir={}", profile.display())).unwrap();
    caps
}

impl Browser {
    async fn open(&mut self, path: &str, heading: &str) {
        self.driver.goto(format!("{}{path}", self.base)).await.unwrap();
        self.arrived(heading).await;
    }

    /// Waits for the page whose `<h1>` contains `heading`, then checks it with axe.
    async fn arrived(&mut self, heading: &str) {
        let xpath = format!("//h1[contains(normalize-space(.), {})]", xpath_text(heading));
        let found = self.driver.query(By::XPath(&xpath)).first().await;
        if let Err(err) = found {
            let url = self.driver.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            let h1 = match self.driver.find(By::Tag("h1")).await {
                Ok(h1) => h1.text().await.unwrap_or_default(),
                Err(_) => "(no h1)".into(),
            };
            panic!("expected a page headed {heading:?}, but {url} is headed {h1:?}: {err}");
        }
        let path = self.driver.current_url().await.unwrap().path().to_string();
        self.check_accessibility(&format!("{heading:?} at {path}")).await;
    }

    /// Runs axe-core on the page as it is now and records each violation.
    async fn check_accessibility(&mut self, page: &str) {
        // Script evaluated through WebDriver is not subject to the page's Content-Security-Policy, so
        // axe runs on exactly the page people get, CSP included.
        self.driver.execute(self.axe.as_str(), Vec::new()).await.unwrap();
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
              .then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                 targets: v.nodes.map((n) => n.target.join(' ')) }))))
              .catch((e) => done({ error: String(e) }));
        "#;
        let tags = serde_json::json!(WCAG_22_AA);
        let result = self.driver.execute_async(script, vec![tags]).await.unwrap();
        let result = result.json();
        assert!(result.get("error").is_none(), "axe-core failed on {page}: {result}");
        for v in result.as_array().expect("a list of violations") {
            let targets: Vec<&str> = v["targets"].as_array().unwrap().iter().filter_map(|t| t.as_str()).collect();
            self.violations.push(format!(
                "- {page}: {} ({}): {} — {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                targets.join(", ")
            ));
        }
        self.pages.push(page.to_string());
    }

    async fn type_into(&self, id: &str, text: &str) {
        let field = self.driver.query(By::Id(id)).first().await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks the first element that `xpath` finds (waiting for it to appear).
    async fn click(&self, xpath: &str) {
        self.driver.query(By::XPath(xpath)).first().await.unwrap().click().await.unwrap();
    }

    /// Presses the submit button labelled `label`.
    async fn press(&self, label: &str) {
        self.click(&format!("//button[normalize-space(.) = {}]", xpath_text(label))).await;
    }

    async fn text_of(&self, id: &str) -> String {
        self.driver.query(By::Id(id)).first().await.unwrap().text().await.unwrap()
    }

    async fn path(&self) -> String {
        self.driver.current_url().await.unwrap().path().to_string()
    }
}

/// `text` as an XPath string literal (no XPath escaping exists; the texts here hold no double quote).
fn xpath_text(text: &str) -> String {
    assert!(!text.contains('"'), "{text}");
    format!("\"{text}\"")
}

/// The code an authenticator app shows `steps_ahead` 30-second steps from now, for the key the
/// enrolment page printed (base32 in groups of four).
fn totp_code(key: &str, steps_ahead: u64) -> String {
    let compact: String = key.chars().filter(|c| !c.is_whitespace()).collect();
    let secret = totp_rs::Secret::try_from_base32(&compact).expect("the page shows base32");
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now + 30 * steps_ahead).to_string()
}

async fn submit_password(browser: &mut Browser, email: &str) {
    browser.open("/sign-in", "Sign in").await;
    browser.type_into("email", email).await;
    browser.type_into("password", PASSWORD).await;
    browser.press("Sign in").await;
}

/// A mistyped password first (the page with its error is checked too), then the password, then the
/// enrolment page's key into "the app", then its code. Returns the key.
async fn headteacher_signs_in_and_enrols(browser: &mut Browser) -> String {
    browser.open("/sign-in", "Sign in").await;
    let button = browser.driver.find(By::XPath("//button[contains(., 'Sign in with your school account')]")).await;
    assert!(button.is_ok(), "the sign-in page offers the school's provider");
    browser.type_into("email", HEAD).await;
    browser.type_into("password", "not the password").await;
    browser.press("Sign in").await;
    browser.driver.query(By::Id("sign-in-error")).first().await.unwrap();
    browser.arrived("Sign in").await;
    submit_password(browser, HEAD).await;
    browser.arrived("Set up your authenticator app").await;
    let key = browser.text_of("secret").await;
    browser.type_into("code", &totp_code(&key, 0)).await;
    browser.press("Confirm and continue").await;
    browser.arrived("Dar ul Madinah Primary School").await;
    assert_eq!(browser.path().await, "/");
    key
}

async fn imports_a_roster(browser: &mut Browser) {
    browser.open("/people/import", "Import a roster").await;
    let file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    std::fs::write(file.path(), ROSTER).unwrap();
    let input = browser.driver.find(By::Id("roster")).await.unwrap();
    input.send_keys(file.path().display().to_string()).await.unwrap();
    browser.press("Import").await;
    browser.driver.query(By::Id("import-report")).first().await.unwrap();
    browser.arrived("Import a roster").await;
    assert_eq!(browser.text_of("count-added").await, "2");
    assert_eq!(browser.text_of("count-rejected").await, "1");
    let rejected = browser.driver.find(By::XPath("//table//th[@scope='row'][normalize-space(.)='4']/..")).await;
    let rejected = rejected.expect("row 4 is listed as not imported").text().await.unwrap();
    assert!(rejected.contains("UPN is empty"), "{rejected}");
}

/// Amira's photographs were refused on the export; a paper form now grants them.
async fn changes_a_consent(browser: &mut Browser) {
    browser.open("/people", "People and consents").await;
    browser.click("//a[normalize-space(.) = 'Amira Khan']").await;
    browser.arrived("Amira Khan").await;
    assert_eq!(browser.text_of("state-photo_online").await, "Refused");
    browser.click("//a[contains(@href, '/consents/photo_online')]").await;
    browser.arrived("Change consent").await;
    browser.click("//label[@for='state-granted']").await;
    browser.click("//label[@for='source-paper']").await;
    browser.press("Record the decision").await;
    browser.arrived("Amira Khan").await;
    assert_eq!(browser.text_of("state-photo_online").await, "Granted");
}

async fn registers_a_channel_and_grants_it(browser: &mut Browser) {
    browser.open("/channels", "Channels").await;
    browser.click("//a[normalize-space(.) = 'Register a channel']").await;
    browser.arrived("Register").await;
    browser.click("//label[@for='kind-facebook_page']").await;
    browser.type_into("name", "School Facebook Page").await;
    browser.type_into("handle", "darulmadinah").await;
    browser.press("Save").await;
    browser.arrived("School Facebook Page").await;

    browser.click(&format!("//select[@id='user']/option[contains(., {})]", xpath_text(TEACHER))).await;
    browser.click("//label[@for='may_post']").await;
    browser.press("Save the grant").await;
    browser.arrived("School Facebook Page").await;
    let channel_page = browser.path().await;
    let grants = browser.driver.query(By::XPath("//table[caption[contains(., 'Staff granted')]]")).first().await;
    let grants = grants.expect("the grants table lists the teacher").text().await.unwrap();
    assert!(grants.contains("Teacher"), "{grants}");

    browser.open(&format!("{channel_page}/edit"), "Edit School Facebook Page").await;
    browser.open(&format!("{channel_page}/credentials"), "Credentials for School Facebook Page").await;
}

/// The pages the flows do not pass through, each checked with axe: suggestions, the whole audit log,
/// figures, account and tokens, the school's sign-in provider, an error page, and the page a stale OIDC callback gets.
async fn visits_the_other_pages(browser: &mut Browser) {
    browser.open("/suggestions", "Suggestions").await;
    browser.open("/audit", "Audit log").await;
    browser.open("/figures", "Figures").await;
    browser.open("/account", "Your account").await;
    browser.open("/account/sign-in-providers", "School sign-in").await;
    browser.open("/no-such-page", "404").await;
    browser.open("/auth/oidc/callback?code=stale&state=stale", "could not sign you in").await;
}

/// From the dashboard (error pages carry no sign-out button).
async fn sign_out(browser: &mut Browser) {
    browser.open("/", "Dar ul Madinah Primary School").await;
    browser.press("Sign out").await;
    browser.arrived("Sign in").await;
}

/// Staff without MFA sign in with the password alone; the register page is the headteacher's only.
async fn staff_member_is_refused_the_channels_admin_page(browser: &mut Browser) {
    submit_password(browser, TEACHER).await;
    browser.arrived("Dar ul Madinah Primary School").await;
    browser.open("/channels/new", "403").await;
}

/// The second sign-in asks for a code (not enrolment); then the refused attempts view shows the
/// teacher's try at the register page.
async fn headteacher_finds_the_refusal_in_the_audit_log(browser: &mut Browser, key: &str) {
    submit_password(browser, HEAD).await;
    browser.arrived("Enter your code").await;
    // One step ahead: the enrolment spent the current step, and the server accepts one step of skew.
    browser.type_into("code", &totp_code(key, 1)).await;
    browser.press("Continue").await;
    browser.arrived("Dar ul Madinah Primary School").await;

    browser.open("/audit?outcome=denied", "Audit log").await;
    let rows = browser.driver.find_all(By::XPath("//table[contains(@class, 'audit')]/tbody/tr")).await.unwrap();
    let mut texts = Vec::new();
    for row in rows {
        texts.push(row.text().await.unwrap());
    }
    let refusal = texts.iter().find(|t| t.contains("channel.add") && t.contains("/channels/new"));
    let refusal = refusal.unwrap_or_else(|| panic!("no refusal of /channels/new among {texts:#?}"));
    assert!(refusal.contains("Teacher"), "the refusal names who tried: {refusal}");
    a_refused_row_stands_out_and_on_a_phone_each_cell_is_labelled(browser).await;
}

/// How the first refused row of the audit table is drawn: its tint and bar, and how wide the "When: "
/// label of its first data cell is (1px while it is for screen readers only).
const REFUSED_ROW: &str = r#"
    const row = document.querySelector('table.audit tbody tr.refused');
    const first = getComputedStyle(row.firstElementChild);
    const label = row.querySelector('td > .visually-hidden:first-child');
    return { row_background: getComputedStyle(row).backgroundColor, row_bar: getComputedStyle(row).borderLeftWidth,
             cell_background: first.backgroundColor, cell_bar: first.boxShadow,
             label: label.textContent, label_width: label.getBoundingClientRect().width,
             headers_shown: document.querySelector('table.audit thead').getBoundingClientRect().left >= 0 };
"#;

/// The tint of refused rows, `#fcefed`.
const TINT: &str = "rgb(252, 239, 237)";

/// On a wide screen the refused row is tinted with a bar on its first cell and the column headers name
/// the cells; on a phone the headers are gone, so each cell shows its own label, and the bar and tint move
/// to the row. axe checks the page at phone width too (contrast of the shown labels, target sizes).
async fn a_refused_row_stands_out_and_on_a_phone_each_cell_is_labelled(browser: &mut Browser) {
    let wide = browser.driver.execute(REFUSED_ROW, Vec::new()).await.unwrap().json().clone();
    assert_eq!(wide["cell_background"], TINT, "{wide}");
    assert!(wide["cell_bar"].as_str().is_some_and(|s| s.contains("inset")), "a bar on the first cell: {wide}");
    assert!(wide["label_width"].as_f64().unwrap() <= 1.0, "labels for screen readers only: {wide}");
    assert_eq!(wide["headers_shown"], true, "{wide}");

    browser.driver.set_window_rect(0, 0, 390, 844).await.unwrap();
    let phone = browser.driver.execute(REFUSED_ROW, Vec::new()).await.unwrap().json().clone();
    assert_eq!(phone["headers_shown"], false, "column headers hidden on a phone: {phone}");
    assert_eq!(phone["label"], "When: ", "{phone}");
    assert!(phone["label_width"].as_f64().unwrap() > 20.0, "the cell shows its label: {phone}");
    assert_eq!(phone["row_background"], TINT, "{phone}");
    assert_eq!(phone["row_bar"], "6px", "{phone}");
    browser.check_accessibility("\"Audit log\" at /audit?outcome=denied, 390px wide").await;
    browser.open("/people", "People and consents").await;
    browser.driver.set_window_rect(0, 0, 1280, 1000).await.unwrap();
}
