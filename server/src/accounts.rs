//! Editors' accounts: names and passwords checked against the contract's
//! limits, argon2id hashes (PHC strings, so the parameters of old hashes
//! keep working when `--argon2-memory-kib` changes), and the
//! `bantin-server user add|list|remove|passwd` commands.

use crate::config::{Config, UserAction};
use crate::store::console::AccountRow;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use bantin_protocol::admin::{is_valid_name, Role, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN};
use bantin_protocol::Invalid;
use std::fmt::Write;

pub fn check_name(name: &str) -> Result<(), Invalid> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(Invalid::new(
            "name",
            format!("must be 1 to {NAME_MAX} characters of a-z, 0-9, '.', '_' or '-'"),
        ))
    }
}

pub fn check_password(password: &str) -> Result<(), Invalid> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Err(Invalid::new(
            "password",
            format!("must be at least {PASSWORD_MIN} characters"),
        ))
    } else if n > PASSWORD_MAX {
        Err(Invalid::new(
            "password",
            format!("must be at most {PASSWORD_MAX} characters"),
        ))
    } else {
        Ok(())
    }
}

/// An e-mail address for alerts: one `@` with text on both sides, no spaces.
pub fn check_email(email: &str) -> Result<(), Invalid> {
    let ok = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Invalid::new("email", "is not an e-mail address"))
    }
}

fn hasher(memory_kib: u32) -> Result<Argon2<'static>, String> {
    let params = Params::new(memory_kib, 2, 1, None).map_err(|e| format!("argon2: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// The argon2id hash (PHC string) of `password` with a fresh salt.
pub fn hash_password(password: &str, memory_kib: u32) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("randomness: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| format!("salt: {e}"))?;
    hasher(memory_kib)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("argon2: {e}"))
}

/// Whether `password` matches the stored hash (its own parameters).
pub fn verify_password(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash to verify against when the account does not exist, so a wrong
/// name takes as long as a wrong password.
pub fn decoy_hash(memory_kib: u32) -> String {
    hash_password("decoy-password-not-used", memory_kib).unwrap_or_default()
}

fn read_password() -> Result<String, String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("reading the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    check_password(&password).map_err(|e| e.to_string())?;
    Ok(password)
}

/// Runs `bantin-server user …` on the database of `config`.
pub async fn run(config: &Config, action: &UserAction) -> Result<String, String> {
    let store = crate::open_store(config).await?;
    let failed = |e: crate::store::StoreError| format!("{}: {e}", config.db);
    let now = crate::now_secs();
    let mut out = String::new();
    match action {
        UserAction::Add { name, role, email } => {
            check_name(name).map_err(|e| e.to_string())?;
            let role = Role::parse(role)
                .ok_or_else(|| format!("--role: `{role}` is neither moderator nor admin"))?;
            if let Some(e) = email {
                check_email(e).map_err(|e| e.to_string())?;
            }
            let password = read_password()?;
            let hash = hash_password(&password, config.argon2_memory_kib)?;
            let added = store
                .add_account(AccountRow {
                    name: name.clone(),
                    role,
                    email: email.clone(),
                    password_hash: hash,
                    created_at: now,
                })
                .await
                .map_err(failed)?;
            if !added {
                return Err(format!("an account `{name}` exists already"));
            }
            crate::audit::record(
                store.as_ref(),
                "cli",
                "user_add",
                &format!("user:{name}"),
                role.as_str(),
            )
            .await;
            let _ = writeln!(out, "added {name} ({})", role.as_str());
        }
        UserAction::List => {
            for a in store.accounts().await.map_err(failed)? {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}",
                    a.name,
                    a.role.as_str(),
                    a.email.unwrap_or_default()
                );
            }
        }
        UserAction::Remove { name } => {
            if !store.remove_account(name).await.map_err(failed)? {
                return Err(format!("no account `{name}`"));
            }
            crate::audit::record(
                store.as_ref(),
                "cli",
                "user_remove",
                &format!("user:{name}"),
                "",
            )
            .await;
            let _ = writeln!(out, "removed {name}");
        }
        UserAction::Passwd { name } => {
            if store.account(name).await.map_err(failed)?.is_none() {
                return Err(format!("no account `{name}`"));
            }
            let password = read_password()?;
            let hash = hash_password(&password, config.argon2_memory_kib)?;
            store.set_password(name, hash).await.map_err(failed)?;
            crate::audit::record(
                store.as_ref(),
                "cli",
                "user_passwd",
                &format!("user:{name}"),
                "",
            )
            .await;
            let _ = writeln!(out, "password of {name} changed; its sessions ended");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_with_their_own_parameters() {
        let h = hash_password("correct horse battery", 64).unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn limits() {
        assert!(check_password("short").is_err());
        assert!(check_password("long enough!").is_ok());
        assert!(check_email("lan@bao.vn").is_ok());
        assert!(check_email("lan@").is_err());
        assert!(check_name("Lan").is_err());
    }
}
