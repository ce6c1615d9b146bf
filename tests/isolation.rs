//! No test reads the developer's own configuration or data: every run of the binary gets a
//! home of its own from tests/common, whatever environment the tests were started in.

mod common;

use std::path::Path;

use common::TestVault;

/// A home such as a developer's might be: a config.toml that cannot be read as TOML, and a
/// default vault folder holding something that is not a vault.
fn hostile_home(root: &Path) -> Vec<(&'static str, std::path::PathBuf)> {
    let env = common::home_env(root);
    for (var, dir) in &env {
        let app = dir.join("fieldnotes");
        match *var {
            "XDG_CONFIG_HOME" => {
                std::fs::create_dir_all(&app).unwrap();
                std::fs::write(app.join("config.toml"), "[keys\nquit = ").unwrap();
            }
            "XDG_DATA_HOME" => {
                std::fs::create_dir_all(app.join("vault")).unwrap();
                std::fs::write(app.join("vault/fieldnotes.db"), "not a vault").unwrap();
            }
            _ => {}
        }
    }
    env
}

#[test]
fn the_helpers_runs_never_see_the_developers_home() {
    let v = TestVault::empty();
    let hostile = tempfile::tempdir().unwrap();
    let developer = hostile_home(hostile.path());

    // the developer's environment first, as the tests inherit it; the helper's must win
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("fieldnotes"));
    c.envs(developer.clone())
        .env("FIELDNOTES_VAULT", hostile.path().join("elsewhere"));
    v.isolate(&mut c);
    let o = c
        .arg("--passphrase-file")
        .arg(v.pass_file())
        .arg("init")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let made = common::files_under(&v.home());
    assert!(
        made.iter()
            .any(|f| f.ends_with("fieldnotes/vault/keys/passphrase.age")),
        "the default vault was made in the test's own home: {made:?}"
    );
    let untouched = common::files_under(hostile.path());
    assert_eq!(untouched.len(), 2, "{untouched:?}");

    // every platform folder the binary could look in is inside the test's folder
    let mut env = std::process::Command::new("env");
    env.envs(developer);
    v.isolate(&mut env);
    let seen = String::from_utf8(env.output().unwrap().stdout).unwrap();
    for var in common::HOME_VARS {
        let value = seen
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{var}=")))
            .unwrap_or_else(|| panic!("{var} is not set"));
        assert!(
            Path::new(value).starts_with(v.tmp.path()),
            "{var}={value} is outside the test's folder"
        );
    }
    assert!(!seen.lines().any(|l| l.starts_with("FIELDNOTES_VAULT=")));
}

#[test]
fn the_helpers_commands_name_their_own_vault() {
    let v = TestVault::new();
    assert!(v.dir().join("keys/passphrase.age").exists());
    // nothing was made in the home: the vault went where --vault said
    assert!(common::files_under(&v.home()).is_empty());
}
