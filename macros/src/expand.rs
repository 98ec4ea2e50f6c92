//! Parse every declaration on the function, validate them and the signature,
//! then generate `main`. On any error, emit the errors with the function
//! unchanged and an empty `main`, so one mistake gives one message.

use crate::manifest;
use cognito_trigger_core::{Declaration, Errors, attr, trigger, valid};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, ReturnType, Type};

pub fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut function: ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new(
                Span::call_site(),
                "#[cognito_trigger] goes on an `async fn` that handles the trigger's event",
            );
            let error = error.to_compile_error();
            return quote!(#error #item);
        }
    };
    let mut errors = Errors::new();
    let mut declarations = Vec::new();
    declarations.extend(attr::parse_arguments(args, Span::call_site(), &mut errors));
    // The first attribute expands the function; it takes the others with it
    // so that one expansion sees the whole declaration.
    let (ours, others): (Vec<_>, Vec<_>) = function.attrs.drain(..).partition(attr::is_declaration);
    function.attrs = others;
    for attribute in &ours {
        declarations.extend(attr::parse_attribute(attribute, &mut errors));
    }
    for declaration in &declarations {
        valid::check_declaration(declaration, &mut errors);
    }
    valid::check_function(&declarations, &mut errors);

    let marker = handler_marker(&declarations);
    let signature = Signature::parse(&function, marker, &mut errors);
    if !errors.is_empty() {
        return fallback(&function, &errors, true);
    }
    // Checked once the declaration itself is sound, so a mistake is not
    // also reported as a mismatch with the manifest.
    let name = function.sig.ident.to_string();
    let placement = manifest::check(&name, &declarations, &mut errors);
    let tracking = &placement.tracking;
    match signature {
        Some(signature) if errors.is_empty() => {
            let expanded = expand(&function, marker, &signature);
            quote!(#expanded #tracking)
        }
        _ => fallback(&function, &errors, placement.first_in_binary),
    }
}

/// The marker type of the event the function's handler takes.
fn handler_marker(declarations: &[Declaration]) -> &'static str {
    let markers: Vec<_> = declarations.iter().map(Declaration::marker).collect();
    trigger::handler_marker(&markers)
}

/// The parts of the handler's signature the entrypoint needs.
struct Signature {
    event: Type,
    state: Option<Type>,
    output: Type,
}

impl Signature {
    fn parse(function: &ItemFn, marker: &str, errors: &mut Errors) -> Option<Signature> {
        let sig = &function.sig;
        let event_type = format!("{marker}Event");
        if sig.asyncness.is_none() {
            errors.error(
                sig.fn_token.span,
                "a trigger handler must be an `async fn`: add `async` before `fn`",
            );
        }
        if !sig.generics.params.is_empty() {
            errors.error(
                sig.generics.span(),
                "a trigger handler cannot be generic: it runs for one event type",
            );
        }
        let mut inputs = sig.inputs.iter();
        let event = match inputs.next() {
            Some(FnArg::Typed(argument)) => Some((*argument.ty).clone()),
            Some(receiver @ FnArg::Receiver(_)) => {
                errors.error(
                    receiver.span(),
                    "a trigger handler is a free function: remove `self`",
                );
                None
            }
            None => {
                errors.error(
                    sig.paren_token.span.join(),
                    format!(
                        "the handler takes the trigger's event: `{}(event: {event_type})`",
                        sig.ident
                    ),
                );
                None
            }
        };
        let state = match inputs.next() {
            None => None,
            Some(FnArg::Typed(argument)) => match &*argument.ty {
                Type::Reference(reference) if reference.mutability.is_none() => {
                    Some((*reference.elem).clone())
                }
                other => {
                    errors.error(
                        other.span(),
                        "the second argument is state built once per cold start, taken by shared reference: `state: &MyState`, where `MyState: cognito_trigger::Setup`",
                    );
                    None
                }
            },
            Some(receiver) => {
                errors.error(
                    receiver.span(),
                    "a trigger handler is a free function: remove `self`",
                );
                None
            }
        };
        if let Some(extra) = inputs.next() {
            errors.error(
                extra.span(),
                "a trigger handler takes the event and, optionally, `&State`: remove the other arguments",
            );
        }
        let output = match &sig.output {
            ReturnType::Type(_, output) => Some((**output).clone()),
            ReturnType::Default => {
                errors.error(
                    sig.ident.span(),
                    format!(
                        "the handler must return the event: add `-> Result<{event_type}, cognito_trigger::Error>`"
                    ),
                );
                None
            }
        };
        Some(Signature {
            event: event?,
            state,
            output: output?,
        })
    }
}

fn expand(function: &ItemFn, marker: &str, signature: &Signature) -> TokenStream {
    let name = &function.sig.ident;
    let marker = format_ident!("{marker}");
    let Signature {
        event,
        state,
        output,
    } = signature;
    // The handler's own types are the explicit generic arguments, so a
    // mismatch is reported once, at the type the user wrote.
    let start = match state {
        None => quote! {
            ::cognito_trigger::__private::start::<::cognito_trigger::events::#marker, #event, #output, _, _>(#name)
        },
        Some(state) => quote! {
            ::cognito_trigger::__private::start_with_setup::<::cognito_trigger::events::#marker, #event, #state, #output, _, _>(#name)
        },
    };
    quote! {
        #function

        fn main() -> ::std::process::ExitCode {
            #start
        }
    }
}

fn fallback(function: &ItemFn, errors: &Errors, with_main: bool) -> TokenStream {
    let errors = errors.to_compile_errors();
    let function = function.to_token_stream();
    let main = with_main.then(|| {
        quote!(
            fn main() {}
        )
    });
    quote! {
        #errors
        #function
        #main
    }
}
