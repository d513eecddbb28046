//! The embedding facade: runtimes are independent values, usable from several threads.

use rivet::{Runtime, Value};

#[test]
fn eval_returns_values() {
    let mut rt = Runtime::new();
    let v = rt.eval("local t = {} for i = 1, 10 do t[i] = i * i end return #t, t[10]").unwrap();
    assert!(matches!(v.as_slice(), [Value::Int(10), Value::Int(100)]));
    let err = rt.eval("error('no')").unwrap_err();
    assert!(err.contains("no"), "{err}");
}

#[test]
fn independent_runtimes_on_different_threads() {
    let handles: Vec<_> = (0..4)
        .map(|n| {
            std::thread::spawn(move || {
                let mut rt = Runtime::new();
                rt.eval(&format!("x = {n}")).unwrap();
                let v =
                    rt.eval("local s = 0 for i = 1, 100000 do s = s + i % 7 end collectgarbage() return x, s").unwrap();
                match v.as_slice() {
                    [Value::Int(x), Value::Int(s)] => (*x, *s),
                    other => panic!("unexpected {other:?}"),
                }
            })
        })
        .collect();
    for (n, h) in handles.into_iter().enumerate() {
        let (x, s) = h.join().unwrap();
        assert_eq!(x, n as i64, "each runtime keeps its own globals");
        assert_eq!(s, 300000, "same as lua5.4 prints");
    }
}

#[test]
fn a_runtime_can_move_to_another_thread() {
    let mut rt = Runtime::new();
    rt.eval("counter = 41").unwrap();
    let mut rt = std::thread::spawn(move || {
        rt.eval("counter = counter + 1").unwrap();
        rt
    })
    .join()
    .unwrap();
    assert!(matches!(rt.eval("return counter").unwrap()[0], Value::Int(42)));
}

#[test]
fn the_interrupt_flag_stops_every_kind_of_endless_loop() {
    use std::sync::atomic::Ordering;
    let loops = [
        ("while true do end", "interrupted!"),
        ("repeat until false", "interrupted!"),
        ("local x = 1 repeat x = x + 1 until x < 0", "interrupted!"),
        ("for i = 1, math.huge do end", "interrupted!"),
        ("for _ in function() return 1 end do end", "interrupted!"),
        // In a function the position is the caller's, as lua.c's hook reports it.
        ("local function f() while true do end end\nf()", "(eval):2: interrupted!"),
        ("local function f() return f() end\nf()", "(eval):2: interrupted!"),
    ];
    for (code, expected) in loops {
        let mut rt = Runtime::new();
        let flag = rt.lua().interrupt_handle();
        flag.store(true, Ordering::SeqCst);
        let err = rt.eval(code).unwrap_err();
        assert_eq!(err, expected, "{code}");
        assert!(!flag.load(Ordering::SeqCst), "the interrupt is consumed: {code}");
        // The runtime goes on.
        let v = rt.eval("return 6 * 7").unwrap();
        assert!(matches!(v.as_slice(), [Value::Int(42)]), "{code}");
    }
}
