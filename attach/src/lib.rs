//! The CloudFormation custom resource behind `existing = true`: it attaches
//! a cognito-trigger function to a user pool the stack does not own.
//!
//! Unlike the Serverless Framework's, it
//! - finds the pool by ID or ARN, or by name only when the name is unique in
//!   the account and region (an ambiguous name is an error, never a guess);
//! - keeps every other setting of the pool: it reads the pool, changes only
//!   this function's `LambdaConfig` entries, and writes everything back;
//! - never takes a trigger another function holds, and on delete removes
//!   exactly what it added;
//! - re-applies the invoke permission (with `SourceArn` and `SourceAccount`)
//!   on every create and update, and removes it on delete;
//! - always answers CloudFormation, SUCCESS or FAILED with the reason, before
//!   the function's deadline, so a stack never hangs on it.
//!
//! Resource properties (`Custom::CognitoTriggerAttachment`):
//!
//! ```yaml
//! ServiceToken: !GetAtt CognitoTriggerAttachLambdaFunction.Arn
//! UserPool: legacy-user-pool        # a name, an ID or an ARN
//! FunctionArn: !GetAtt UsersLambdaFunction.Arn
//! Triggers:
//!   - Trigger: CustomMessage
//!   - Trigger: CustomSMSSender
//!     LambdaVersion: V1_0
//! KmsKeyId: arn:aws:kms:...         # with custom senders
//! DeployId: !Ref CognitoTriggerDeployId   # force_deploy: a new value re-applies
//! ```

pub mod handler;
pub mod permission;
pub mod pool;
pub mod request;
pub mod respond;
mod slots;

pub use handler::{Clients, handle};
pub use request::{Properties, Request, Response, Status, TriggerSpec};
