//! Parse every declaration on the function, validate them and the signature,
//! then generate `main`. On any error, emit the errors with the function
//! unchanged and an empty `main`, so one mistake gives one message.

use crate::manifest;
use cognito_trigger_core::item::{self, Attribute};
use cognito_trigger_core::{Declaration, Errors, attr, trigger, valid};
use proc_macro2::{Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt, format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, ReturnType, Type, Visibility};

pub fn cognito_trigger(args: TokenStream, item: TokenStream) -> TokenStream {
    let function = match Function::read(item.clone()) {
        Ok(function) => function,
        Err(unreadable) => return unreadable,
    };
    let mut errors = Errors::new();
    let mut declarations = Vec::new();
    declarations.extend(attr::parse_arguments(args, Span::call_site(), &mut errors));
    for attribute in &function.declarations {
        declarations.extend(attr::parse_attribute(attribute, &mut errors));
    }
    for declaration in &declarations {
        valid::check_declaration(declaration, &mut errors);
    }
    valid::check_function(&declarations, &mut errors);

    let marker = handler_marker(&declarations);
    let signature = HandlerTypes::parse(&function.sig, marker, &mut errors);
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

/// The annotated function. Only its signature is parsed with syn; the body
/// stays tokens, for rustc to check (syn would recurse into it without a
/// limit, see `cognito_trigger_core::item`).
struct Function {
    /// The other `#[cognito_trigger]` attributes: the first one expands the
    /// function and takes them with it, so one expansion sees them all.
    declarations: Vec<Attribute>,
    /// Every other attribute, kept as written.
    attributes: Vec<Attribute>,
    vis: Visibility,
    sig: syn::Signature,
    body: Group,
}

/// The most marks that can open a level of nesting (groups, and punctuation
/// but `,`, `:`, `'` and `>`) a handler's signature may have. A real one has
/// under ten; syn's type parser recurses once per level without a limit, and
/// in a debug build on rustc's 8 MB stack it overflowed at about 140 levels.
const SIGNATURE_MARKS: usize = 64;

/// The visibility and signature before a function's body.
struct Head(Visibility, syn::Signature);

impl Parse for Head {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Head(input.parse()?, input.parse()?))
    }
}

impl Function {
    /// The function `item` is. Any other item is an error: then the
    /// expansion that reports it, with the item unchanged.
    fn read(tokens: TokenStream) -> Result<Function, TokenStream> {
        let refuse = |span: Span, message: &str, with_main: bool| {
            let mut errors = Errors::new();
            errors.error(span, message);
            fallback(&tokens, &errors, with_main)
        };
        let not_a_function = || {
            let message =
                "#[cognito_trigger] goes on an `async fn` that handles the trigger's event";
            refuse(Span::call_site(), message, false)
        };
        let [item] =
            <[_; 1]>::try_from(item::items(tokens.clone())).map_err(|_| not_a_function())?;
        let (Some(name), Some(body)) = (item.function_name(), item.body.clone()) else {
            return Err(not_a_function());
        };
        if nesting_marks(&item.head) > SIGNATURE_MARKS {
            let message = format!(
                "this signature nests too deeply (over {SIGNATURE_MARKS} brackets and operators): a handler is `async fn {name}(event: XEvent) -> Result<XEvent, cognito_trigger::Error>`, with an optional `&State` second argument"
            );
            return Err(refuse(name.span(), &message, true));
        }
        let Head(vis, sig) =
            syn::parse2(item.head.into_iter().collect()).map_err(|_| not_a_function())?;
        let (declarations, attributes) =
            item.attributes.into_iter().partition(attr::is_declaration);
        Ok(Function {
            declarations,
            attributes,
            vis,
            sig,
            body,
        })
    }
}

impl ToTokens for Function {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attributes);
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

/// The marks in `trees` that can nest (see [`SIGNATURE_MARKS`]), groups'
/// contents included, counted without recursion.
fn nesting_marks(trees: &[TokenTree]) -> usize {
    let mut marks = 0;
    let mut pending: Vec<TokenStream> = vec![trees.iter().cloned().collect()];
    while let Some(stream) = pending.pop() {
        for tree in stream {
            match tree {
                TokenTree::Group(group) => {
                    marks += 1;
                    pending.push(group.stream());
                }
                TokenTree::Punct(punct) if !matches!(punct.as_char(), ',' | ':' | '\'' | '>') => {
                    marks += 1;
                }
                _ => {}
            }
        }
    }
    marks
}

/// The marker type of the event the function's handler takes.
fn handler_marker(declarations: &[Declaration]) -> &'static str {
    let declared: Vec<_> = declarations
        .iter()
        .map(|d| (d.values.trigger, d.values.version()))
        .collect();
    trigger::handler_marker(&declared)
}

/// The parts of the handler's signature the entrypoint needs.
struct HandlerTypes {
    event: Type,
    state: Option<Type>,
    /// The by-value argument after the event (and the state): the invocation.
    invocation: Option<Type>,
    output: Type,
}

impl HandlerTypes {
    fn parse(sig: &syn::Signature, marker: &str, errors: &mut Errors) -> Option<HandlerTypes> {
        let event_type = trigger::event_type(marker);
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
        // After the event: `&State` (by reference), then the invocation (by
        // value), each optional, in that order.
        let mut state = None;
        let mut invocation = None;
        for argument in inputs {
            let FnArg::Typed(argument) = argument else {
                errors.error(
                    argument.span(),
                    "a trigger handler is a free function: remove `self`",
                );
                continue;
            };
            match &*argument.ty {
                Type::Reference(reference)
                    if reference.mutability.is_none() && state.is_none() && invocation.is_none() =>
                {
                    state = Some((*reference.elem).clone());
                }
                Type::Reference(reference) if reference.mutability.is_some() => errors.error(
                    reference.span(),
                    "state built once per cold start is taken by shared reference: `state: &MyState`, where `MyState: cognito_trigger::Setup`",
                ),
                // Told apart by name: by value, state would be a mistake, and
                // its message must say how to take state.
                Type::Path(path)
                    if invocation.is_none()
                        && path.path.segments.last().is_some_and(|s| s.ident == "Invocation") =>
                {
                    invocation = Some((*argument.ty).clone());
                }
                other if invocation.is_none() && !matches!(other, Type::Reference(_)) => errors.error(
                    other.span(),
                    "after the event comes state built once per cold start, taken by shared reference (`state: &MyState`, where `MyState: cognito_trigger::Setup`), then the invocation (`invocation: cognito_trigger::Invocation`)",
                ),
                other => errors.error(
                    other.span(),
                    "a trigger handler takes the event, then optionally `state: &MyState`, then optionally `invocation: cognito_trigger::Invocation`: remove or reorder this argument",
                ),
            }
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
        Some(HandlerTypes {
            event: event?,
            state,
            invocation,
            output: output?,
        })
    }
}

fn expand(function: &Function, marker: &str, signature: &HandlerTypes) -> TokenStream {
    let name = &function.sig.ident;
    let marker = format_ident!("{marker}");
    let HandlerTypes {
        event,
        state,
        invocation,
        output,
    } = signature;
    // The handler's own types are the explicit generic arguments, so a
    // mismatch is reported once, at the type the user wrote.
    let start = match (state, invocation) {
        (None, None) => quote! {
            ::cognito_trigger::__private::start::<::cognito_trigger::events::#marker, #event, #output, _, _>(#name)
        },
        (Some(state), None) => quote! {
            ::cognito_trigger::__private::start_with_setup::<::cognito_trigger::events::#marker, #event, #state, #output, _, _>(#name)
        },
        (None, Some(invocation)) => quote! {
            ::cognito_trigger::__private::start_with_invocation::<::cognito_trigger::events::#marker, #event, #invocation, #output, _, _>(#name)
        },
        (Some(state), Some(invocation)) => quote! {
            ::cognito_trigger::__private::start_with_setup_and_invocation::<::cognito_trigger::events::#marker, #event, #state, #invocation, #output, _, _>(#name)
        },
    };
    quote! {
        #function

        fn main() -> ::std::process::ExitCode {
            #start
        }
    }
}

/// The errors, the item as written, and an empty `main` unless the binary
/// gets one elsewhere: one mistake, one message.
fn fallback(item: &impl ToTokens, errors: &Errors, with_main: bool) -> TokenStream {
    let errors = errors.to_compile_errors();
    let item = item.to_token_stream();
    let main = with_main.then(|| {
        quote!(
            fn main() {}
        )
    });
    quote! {
        #errors
        #item
        #main
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Signatures at the bound, nested as deep as it allows, are read on a
    /// stack the size of rustc's (8 MB) in a debug build; past it, refused.
    #[test]
    fn signatures_within_the_bound_are_read_and_deeper_ones_refused() {
        let levels = SIGNATURE_MARKS - 4;
        let nested = move |within: bool| {
            let levels = if within { levels } else { 200 };
            [
                format!("async fn f(e: {}T) -> R", "& ".repeat(levels)),
                format!(
                    "async fn f(e: {}T{}) -> R",
                    "[".repeat(levels),
                    "]".repeat(levels)
                ),
                format!(
                    "async fn f(e: {}T{}) -> R",
                    "Vec<".repeat(levels),
                    ">".repeat(levels)
                ),
                format!("async fn f(e: {}T) -> R", "fn() -> ".repeat(levels / 2)),
                format!("async fn f(e: [T; {}1]) -> R", "- ".repeat(levels)),
            ]
        };
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                for (within, signature) in [true, false]
                    .into_iter()
                    .flat_map(|within| nested(within).map(|s| (within, s)))
                {
                    let item = TokenStream::from_str(&format!("{signature} {{}}")).unwrap();
                    match Function::read(item) {
                        Ok(_) => assert!(within, "{signature}"),
                        Err(expansion) => {
                            assert!(!within, "{signature}: {expansion}");
                            assert!(expansion.to_string().contains("nests too deeply"));
                        }
                    }
                }
            })
            .unwrap()
            .join()
            .unwrap();
    }
}
