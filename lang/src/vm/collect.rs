//! The runtime's side of garbage collection: the roots, and running finalizers.

use super::metamethod::Tm;
use super::state::Lua;
use super::value::Value;

impl Lua {
    /// A full collection cycle followed by the pending finalizers.
    pub fn collect_garbage(&mut self) {
        let globals = self.globals;
        let registry = self.registry;
        let main = self.main_thread;
        let current = self.current;
        let type_mt = self.type_mt;
        let mixed_eq_mt = self.mixed_eq_mt;
        let tm_names = &self.tm_names;
        self.heap.collect(|t| {
            t.mark(globals);
            t.mark(registry);
            t.mark(main);
            t.mark(current);
            for mt in type_mt.iter().chain(std::iter::once(&mixed_eq_mt)).flatten() {
                t.mark(*mt);
            }
            for &s in tm_names {
                t.mark_value(Value::Str(s));
            }
        });
        self.run_finalizers();
    }

    /// A safe point for code outside the interpreter loop that allocates without ever
    /// returning to it for long (the ffi's callbacks, entered from C): collects if the
    /// allocation debt asks for it. Every value the caller still needs must be rooted (on the
    /// stack, in a table the collector reaches).
    pub fn collect_if_due(&mut self) {
        if self.heap.should_collect() {
            self.collect_garbage();
        }
    }

    /// Runs queued `__gc` metamethods. An error in one becomes a warning (manual §2.5.3).
    pub(crate) fn run_finalizers(&mut self) {
        if self.in_finalizer || !self.heap.has_pending_finalizers() {
            return;
        }
        self.in_finalizer = true;
        // Run above every live register of the running frame.
        let saved_top = self.top();
        let frame_top = self.th().frames.last().map_or(0, |f| f.top);
        self.set_top(saved_top.max(frame_top));
        let saved_frames = self.th().frames.len();
        let saved_depth = self.th().c_depth;
        // Finalizers run without hooks, and debug information names them `__gc`.
        let saved_allowed = self.th().hook.allowed;
        let saved_fin_frame = self.th().finalizer_frame;
        self.th().hook.allowed = false;
        self.th().finalizer_frame = Some(saved_frames);
        while let Some(obj) = self.heap.next_to_finalize() {
            let h = self.metamethod(obj, Tm::Gc);
            if !h.is_function() {
                continue;
            }
            let func = self.top();
            self.push(h);
            self.push(obj);
            if let Err(e) = self.pcall(func, 0, None) {
                self.warn_finalizer_error(e.value);
            }
            self.th().frames.truncate(saved_frames);
            self.th().c_depth = saved_depth;
        }
        self.th().hook.allowed = saved_allowed;
        self.th().finalizer_frame = saved_fin_frame;
        self.set_top(saved_top);
        self.in_finalizer = false;
    }

    /// An error in a finalizer becomes a warning (manual §2.5.3).
    fn warn_finalizer_error(&mut self, err: Value) {
        let msg = match err {
            Value::Str(s) => s.to_str_lossy().into_owned(),
            other => format!("error object is a {} value", other.type_name()),
        };
        self.warn(&format!("error in __gc metamethod ({msg})"));
    }

    /// Emits a warning if warnings are on (`warn("@on")`).
    pub fn warn(&mut self, msg: &str) {
        if self.warn_on {
            (self.warn_sink)(msg);
        }
    }

    /// Finalizes every object with a pending `__gc`, as `lua_close` does. Called when a
    /// runtime is dropped.
    pub fn close_state(&mut self) {
        self.collect_garbage();
        let all = self.heap.take_all_finalizable();
        for obj in all {
            let h = self.metamethod(obj, Tm::Gc);
            if h.is_function() {
                let func = self.top();
                self.push(h);
                self.push(obj);
                if let Err(e) = self.pcall(func, 0, None) {
                    self.warn_finalizer_error(e.value);
                }
            }
        }
    }
}
