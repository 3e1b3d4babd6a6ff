//! A real third-party CardDAV client against the running server: vdirsyncer (Debian's package,
//! which scripts/test.sh installs) discovers the address book from the server's root URL, syncs
//! it into a folder of .vcf files, an edit there reaches the CRM relation, and an edit in the
//! CRM reaches the file.

#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use postkamer_domain::Role;
use postkamer_domain::relation::{EmailInput, PersonInput};
use support::*;

fn vdirsyncer(config: &Path, args: &[&str]) -> String {
    let output = Command::new("vdirsyncer")
        .args(["-v", "debug"])
        .arg("-c")
        .arg(config)
        .args(args)
        .output()
        .expect("vdirsyncer is installed (Debian package vdirsyncer; scripts/test.sh installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "vdirsyncer {args:?} failed:\n{text}"
    );
    text
}

fn cards(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "vcf"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vdirsyncer_syncs_both_ways() {
    let app = app().await;
    let anna = app.user("Demo BV", "anna@demo.nl", Role::Gebruiker).await;
    app.core.set_sync_enabled(&anna, true).await.unwrap();
    let person = |last: &str, email: &str, synced: bool| PersonInput {
        first_name: "Test".into(),
        last_name: last.into(),
        emails: vec![EmailInput {
            address: email.into(),
            primary: true,
        }],
        synchroniseren: synced,
        ..Default::default()
    };
    let jansen = app
        .core
        .create_person(&anna, &person("Jansen", "jan@klant.nl", true))
        .await
        .unwrap();
    app.core
        .create_person(&anna, &person("Bakker", "piet@klant.nl", true))
        .await
        .unwrap();
    app.core
        .create_person(&anna, &person("Niet", "niet@klant.nl", false))
        .await
        .unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });

    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("contacts");
    std::fs::create_dir_all(local.join("default")).unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[general]\nstatus_path = \"{status}\"\n\n\
             [pair crm]\na = \"phone\"\nb = \"postkamer\"\ncollections = [\"from b\"]\nconflict_resolution = \"a wins\"\n\n\
             [storage phone]\ntype = \"filesystem\"\npath = \"{local}\"\nfileext = \".vcf\"\n\n\
             [storage postkamer]\ntype = \"carddav\"\nurl = \"http://{address}/\"\nusername = \"anna@demo.nl\"\npassword = \"een-lang-wachtwoord\"\n",
            status = dir.path().join("status").display(),
            local = local.display(),
        ),
    )
    .unwrap();
    let config_path = config.clone();
    let run = move |args: &'static [&'static str]| {
        let config = config_path.clone();
        tokio::task::spawn_blocking(move || vdirsyncer(&config, args))
    };

    // Discovery from the root URL (/.well-known/carddav), then a full sync.
    let discovered = run(&["discover", "crm"]).await.unwrap();
    assert!(discovered.contains("default"), "{discovered}");
    run(&["sync"]).await.unwrap();
    let book = local.join("default");
    let synced = cards(&book);
    assert_eq!(
        synced.len(),
        2,
        "the two relations marked for sync: {synced:?}"
    );
    assert!(synced.iter().any(|(_, t)| t.contains("jan@klant.nl")));
    assert!(!synced.iter().any(|(_, t)| t.contains("niet@klant.nl")));

    // An edit on the client side reaches the CRM relation.
    let (file, text) = synced
        .iter()
        .find(|(_, t)| t.contains("Jansen"))
        .unwrap()
        .clone();
    let edited = text.replacen(
        "END:VCARD",
        "TITLE:Inkoper\r\nNOTE:Via vdirsyncer bijgewerkt\\nTweede regel: één\\, twéé\r\nEND:VCARD",
        1,
    );
    std::fs::write(&file, edited).unwrap();
    run(&["sync"]).await.unwrap();
    let in_crm = app.core.person(&anna, jansen.id).await.unwrap();
    assert_eq!(in_crm.job_title.as_deref(), Some("Inkoper"));
    assert_eq!(
        in_crm.notes.as_deref(),
        Some("Via vdirsyncer bijgewerkt\nTweede regel: één, twéé"),
        "a multi-line, non-ASCII NOTE arrives as typed"
    );
    // And comes back to the client as it was (another sync changes nothing in the file).
    run(&["sync"]).await.unwrap();
    let again = std::fs::read_to_string(&file).unwrap();
    assert!(
        again.contains("Via vdirsyncer bijgewerkt\\nTweede regel: één\\, twéé"),
        "{again}"
    );

    // Another client changes the card (PUT with If-Match on the ETag it has): the change
    // reaches this client on its next sync.
    let href = format!(
        "/dav/addressbooks/{}/default/{}",
        anna.id,
        file.file_name().unwrap().to_str().unwrap()
    );
    let auth = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "anna@demo.nl:een-lang-wachtwoord"
        )
    );
    let current = app
        .send(
            axum::http::Request::get(href.as_str())
                .header(axum::http::header::AUTHORIZATION, &auth)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(current.status.as_u16(), 200, "{}", current.text);
    let etag = current.headers[axum::http::header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let other = current.text.replace("TITLE:Inkoper", "TITLE:Hoofdinkoper");
    let put = app
        .send(
            axum::http::Request::put(href.as_str())
                .header(axum::http::header::AUTHORIZATION, &auth)
                .header(axum::http::header::IF_MATCH, &etag)
                .header(
                    axum::http::header::CONTENT_TYPE,
                    "text/vcard; charset=utf-8",
                )
                .body(axum::body::Body::from(other))
                .unwrap(),
        )
        .await;
    assert_eq!(put.status.as_u16(), 204, "{}", put.text);
    run(&["sync"]).await.unwrap();
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("TITLE:Hoofdinkoper"), "{after}");

    // An edit in the CRM reaches the client.
    let mut changed = person("Jansen", "jan@nieuw-adres.nl", true);
    changed.job_title = "Directeur".into();
    app.core
        .update_person(&anna, jansen.id, &changed)
        .await
        .unwrap();
    run(&["sync"]).await.unwrap();
    let synced = cards(&book);
    let (_, text) = synced.iter().find(|(_, t)| t.contains("Jansen")).unwrap();
    assert!(text.contains("jan@nieuw-adres.nl"), "{text}");
    assert!(text.contains("TITLE:Directeur"), "{text}");
    assert!(!text.contains("jan@klant.nl"), "{text}");

    // Unmarked in the CRM: the card leaves the book and the client deletes its file.
    let bakker = synced
        .iter()
        .find(|(_, t)| t.contains("Bakker"))
        .unwrap()
        .0
        .clone();
    let piet = postkamer_domain::EmailAddress::parse("piet@klant.nl").unwrap();
    let bakker_id = app.core.persons_by_email(&anna, &piet).await.unwrap()[0];
    app.core
        .set_persons_synced(&anna, &[bakker_id], false)
        .await
        .unwrap();
    run(&["sync"]).await.unwrap();
    assert!(!bakker.exists(), "the client removed the card");
    assert_eq!(cards(&book).len(), 1);
}
