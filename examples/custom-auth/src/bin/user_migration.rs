//! Moves users from a legacy directory into the pool on first sign-in. The
//! directory is loaded once per cold start (`Setup`), not per invocation.

use cognito_trigger::events::{Attributes, UserMigrationEvent, UserMigrationSource};
use cognito_trigger::{BoxError, Error, Setup, cognito_trigger};
use std::collections::HashMap;

/// The legacy directory: username to (password, email). Read from
/// `LEGACY_USERS` as `name:password:email` entries separated by `;`.
struct Directory {
    users: HashMap<String, (String, String)>,
}

impl Directory {
    fn parse(entries: &str) -> Result<Self, BoxError> {
        let mut users = HashMap::new();
        for entry in entries.split(';').filter(|e| !e.is_empty()) {
            let mut fields = entry.splitn(3, ':');
            match (fields.next(), fields.next(), fields.next()) {
                (Some(name), Some(password), Some(email)) => {
                    users.insert(name.to_owned(), (password.to_owned(), email.to_owned()));
                }
                _ => {
                    return Err(
                        format!("LEGACY_USERS entry `{entry}` is not name:password:email").into(),
                    );
                }
            }
        }
        Ok(Directory { users })
    }
}

impl Setup for Directory {
    async fn setup() -> Result<Self, BoxError> {
        Directory::parse(&std::env::var("LEGACY_USERS").unwrap_or_default())
    }
}

#[cognito_trigger(pool = "PasswordlessPool", trigger = UserMigration)]
async fn user_migration(
    mut event: UserMigrationEvent,
    directory: &Directory,
) -> Result<UserMigrationEvent, Error> {
    let Some((password, email)) = directory.users.get(&event.user_name) else {
        return Err(Error::reject("User does not exist"));
    };
    if event.trigger_source == UserMigrationSource::Authentication
        && event.request.password.as_deref() != Some(password.as_str())
    {
        return Err(Error::reject("Incorrect username or password"));
    }
    let attributes = Attributes::from([
        ("email".to_owned(), email.clone()),
        ("email_verified".to_owned(), "true".to_owned()),
    ]);
    event.migrate(attributes);
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_trigger::events::FinalUserStatus;

    fn sign_in(user: &str, password: &str) -> UserMigrationEvent {
        let mut event = UserMigrationEvent {
            trigger_source: UserMigrationSource::Authentication,
            user_name: user.into(),
            ..Default::default()
        };
        event.request.password = Some(password.into());
        event
    }

    #[tokio::test]
    async fn migrates_a_known_user_with_the_right_password() {
        let directory = Directory::parse("jane:s3cret:jane@example.com").unwrap();
        let event = user_migration(sign_in("jane", "s3cret"), &directory)
            .await
            .unwrap();
        assert_eq!(
            event.response.final_user_status,
            Some(FinalUserStatus::Confirmed)
        );
        assert_eq!(
            event.response.user_attributes.unwrap()["email"],
            "jane@example.com"
        );

        let error = user_migration(sign_in("jane", "guess"), &directory)
            .await
            .unwrap_err();
        assert_eq!(error.user_message(), "Incorrect username or password");
    }

    #[test]
    fn a_malformed_directory_fails_setup() {
        assert!(Directory::parse("jane-without-fields").is_err());
    }
}
