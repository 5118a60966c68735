//! An element whose content is replaced as a whole: each view shown in it is
//! built once and mounted with its own owner, and unmounted when the next one
//! comes. Used instead of a reactive `move || match state { … }` branch, which
//! makes tachys compile a rebuild path (and an `AnyView`) for every view it
//! can show.

use leptos::mount::mount_to;
use leptos::prelude::IntoView;
use std::any::Any;
use std::cell::RefCell;
use web_sys::HtmlElement;

pub struct Swap {
    el: HtmlElement,
    /// The `UnmountHandle` of what is shown: dropping it unmounts it.
    shown: RefCell<Option<Box<dyn Any>>>,
}

impl Swap {
    pub fn new(el: HtmlElement) -> Swap {
        Swap {
            el,
            shown: RefCell::new(None),
        }
    }

    pub fn element(&self) -> &HtmlElement {
        &self.el
    }

    /// Replaces what is shown by `view`.
    pub fn show<V: IntoView + 'static>(&self, view: impl FnOnce() -> V + 'static) {
        self.clear();
        let handle = mount_to(self.el.clone(), view);
        *self.shown.borrow_mut() = Some(Box::new(handle));
    }

    pub fn clear(&self) {
        let old = self.shown.borrow_mut().take();
        drop(old);
    }
}
