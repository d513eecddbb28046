//! cdata objects and the memory they reach: the payload of every cdata userdata
//! ([`CData`]), and [`Place`], the only way the binding touches C memory.
//!
//! A cdata is one of three [`Form`]s:
//! - a *value*, which owns its bytes: inline for small objects, an aligned heap block for
//!   large and variable-length ones (a pointer cdata is a value holding an address);
//! - a *reference* (`cdata<struct foo &>` in LuaJIT's printing), which refers to an object in
//!   memory owned by something else: the field of a struct, the element of an array. Its
//!   user value 0 holds the cdata that owns that memory, so the memory stays alive as long
//!   as the reference does;
//! - a *ctype* (what `ffi.typeof` returns), which has no bytes.
//!
//! Pointer values derived from a cdata's memory (array decay, pointer arithmetic, casts)
//! also hold the owning cdata in user value 0. Every access through a cdata that has such an
//! owner is checked against the owner's bytes, so a script can neither free memory it still
//! points into nor index past it. Pointers that come from integers or from C memory have no
//! owner and are used as given, as in C (NULL is still refused).
//!
//! All unsafe code of the binding's memory access is in this file.

use std::alloc::Layout;
use std::cell::{Cell, UnsafeCell};
use std::ptr::NonNull;
use std::rc::Rc;

use rivet_ffi::CTypeId;

use super::state::FfiState;
use super::typeinfo::{Scalar, TypeInfo};

/// Objects up to this size (and alignment) live inside the payload. The payload is aligned
/// to 8 bytes, not 16: a 16-byte alignment would send every cdata allocation through the
/// allocator's slow aligned path; the few 16-aligned types (`long double`, `__int128`,
/// aligned structs) live on the heap.
pub(crate) const INLINE_SIZE: usize = 32;

#[repr(C, align(8))]
struct InlineBytes([u8; INLINE_SIZE]);

enum Memory {
    Inline(UnsafeCell<InlineBytes>),
    Heap { ptr: NonNull<u8>, layout: Layout },
    Borrowed(usize),
    Nothing,
}

/// What a cdata is (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    Value,
    Ref,
    CType,
}

/// The payload of a cdata userdata.
pub(crate) struct CData {
    /// The C type of the object: for a reference, the type referred to.
    pub ty: CTypeId,
    pub form: Form,
    mem: Memory,
    /// Size in bytes of the object (with its trailing elements for a VLA or VLS).
    pub len: u64,
    /// The number of trailing elements of a VLA or VLS, when known.
    pub count: Option<u64>,
    /// Set once a pointer or string has been anchored to this cdata's memory (see
    /// `anchor.rs`), so stores into memory without anchors skip the lookup.
    pub has_anchors: Cell<bool>,
    /// The type's description as it was when the cdata was made, so that accesses need no
    /// lookup (set by `Ctx::wrap`).
    pub typed: Option<Typed>,
}

/// A cdata's cached type description, valid while the state's generation is unchanged.
pub(crate) struct Typed {
    pub state: Rc<FfiState>,
    pub info: Rc<TypeInfo>,
    pub generation: u32,
}

/// `malloc` failed or the size is beyond what can be allocated.
#[derive(Debug)]
pub(crate) struct OutOfMemory;

impl CData {
    /// A zero-filled value of `len` bytes aligned to `align`.
    pub fn new_value(ty: CTypeId, len: u64, align: u32, count: Option<u64>) -> Result<CData, OutOfMemory> {
        let size = usize::try_from(len).map_err(|_| OutOfMemory)?;
        let align = (align as usize).max(1);
        let mem = if size <= INLINE_SIZE && align <= std::mem::align_of::<InlineBytes>() {
            Memory::Inline(UnsafeCell::new(InlineBytes([0; INLINE_SIZE])))
        } else {
            let layout = Layout::from_size_align(size.max(1), align).map_err(|_| OutOfMemory)?;
            // SAFETY: `layout` has a non-zero size (at least 1).
            let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
            Memory::Heap { ptr: NonNull::new(ptr).ok_or(OutOfMemory)?, layout }
        };
        Ok(CData { ty, form: Form::Value, mem, len, count, has_anchors: Cell::new(false), typed: None })
    }

    /// A pointer value of type `ty` holding `addr` (what `new_value` and a store of the
    /// address make, without the layout checks and the store's bounds check: a pointer
    /// always fits inline).
    pub fn new_pointer(ty: CTypeId, addr: usize) -> CData {
        Self::pointer_typed(ty, addr, None)
    }

    /// [`CData::new_pointer`] with its type description already cached (one expression: it
    /// is written straight into its place, see `Lua::new_userdata_made`).
    #[inline(always)]
    pub fn pointer_typed(ty: CTypeId, addr: usize, typed: Option<Typed>) -> CData {
        const WORD: usize = std::mem::size_of::<usize>();
        let mut bytes = [0; INLINE_SIZE];
        bytes[..WORD].copy_from_slice(&addr.to_ne_bytes());
        Self::inline_typed(ty, bytes, WORD as u64, typed)
    }

    /// A value of type `ty` whose `len` bytes (at most `INLINE_SIZE`, aligned to at most 8)
    /// are the first of `bytes`, the rest zero (one expression, as `pointer_typed`).
    #[inline(always)]
    pub fn inline_typed(ty: CTypeId, bytes: [u8; INLINE_SIZE], len: u64, typed: Option<Typed>) -> CData {
        debug_assert!(len as usize <= INLINE_SIZE);
        CData {
            ty,
            form: Form::Value,
            mem: Memory::Inline(UnsafeCell::new(InlineBytes(bytes))),
            len,
            count: None,
            has_anchors: Cell::new(false),
            typed,
        }
    }

    /// A reference to the object of type `ty` at `addr` (`len` bytes).
    pub fn new_ref(ty: CTypeId, addr: usize, len: u64, count: Option<u64>) -> CData {
        CData {
            ty,
            form: Form::Ref,
            mem: Memory::Borrowed(addr),
            len,
            count,
            has_anchors: Cell::new(false),
            typed: None,
        }
    }

    /// A ctype object.
    pub fn new_ctype(ty: CTypeId) -> CData {
        CData {
            ty,
            form: Form::CType,
            mem: Memory::Nothing,
            len: 0,
            count: None,
            has_anchors: Cell::new(false),
            typed: None,
        }
    }

    /// The state and the type's description, when the cached one is current.
    #[inline]
    pub fn cached(&self) -> Option<(&FfiState, &TypeInfo)> {
        let t = self.typed.as_ref()?;
        (t.generation == t.state.generation()).then(|| (&*t.state, &*t.info))
    }

    /// Bytes of native memory this payload owns outside itself (for GC pacing).
    pub fn heap_bytes(&self) -> usize {
        match &self.mem {
            Memory::Heap { layout, .. } => layout.size(),
            _ => 0,
        }
    }

    /// Address of the object's first byte (0 for a ctype).
    #[inline]
    pub fn addr(&self) -> usize {
        match &self.mem {
            Memory::Inline(cell) => cell.get() as usize,
            Memory::Heap { ptr, .. } => ptr.as_ptr() as usize,
            Memory::Borrowed(addr) => *addr,
            Memory::Nothing => 0,
        }
    }

    /// The object's bytes as a place, bounded to them when this cdata owns them.
    #[inline]
    pub fn own_place(&self) -> Place {
        let addr = self.addr();
        Place { addr, lo: addr, hi: addr + self.len as usize }
    }
}

impl Drop for CData {
    fn drop(&mut self) {
        if let Memory::Heap { ptr, layout } = self.mem {
            // SAFETY: the block was allocated by `new_value` with this very layout and is freed
            // once, here. No reference can use it afterwards: references and derived pointers
            // hold this cdata in a user value, so it is only dropped when they are gone too.
            unsafe { std::alloc::dealloc(ptr.as_ptr(), layout) };
        }
    }
}

/// A C number read from memory, in the widest form of its kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    I(i64),
    U(u64),
    F(f64),
}

/// Why an access was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccessError {
    /// The access would leave the memory of the cdata the pointer was derived from.
    OutOfBounds { offset: i128, size: usize, len: usize },
}

/// Where an object is: an address, and the bounds of the memory it may be accessed in.
///
/// A place made from a cdata's own bytes ([`CData::own_place`], [`Place::within`]) is bounded
/// by them; [`Place::raw`] makes an unbounded one from an address a script produced, which,
/// like a pointer in C, is the script's responsibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    addr: usize,
    lo: usize,
    hi: usize,
}

impl Place {
    /// An unbounded place at a non-NULL address.
    pub fn raw(addr: usize) -> Place {
        debug_assert!(addr != 0, "NULL is refused by the callers");
        Place { addr, lo: 0, hi: usize::MAX }
    }

    /// `addr` with the bounds of the memory `owner` owns.
    pub fn within(addr: usize, owner: &CData) -> Place {
        let lo = owner.addr();
        Place { addr, lo, hi: lo + owner.len as usize }
    }

    #[inline]
    pub fn addr(self) -> usize {
        self.addr
    }

    pub fn is_bounded(self) -> bool {
        !(self.lo == 0 && self.hi == usize::MAX)
    }

    /// The bytes from the place to the end of its bounds (`None` when unbounded).
    pub fn remaining(self) -> Option<usize> {
        self.is_bounded().then(|| self.hi.saturating_sub(self.addr))
    }

    /// The place `bytes` further on (bounds unchanged: checked at the access).
    #[inline]
    pub fn offset(self, bytes: i64) -> Place {
        Place { addr: self.addr.wrapping_add(bytes as usize), ..self }
    }

    /// Refuses an access of `size` bytes that leaves the bounds.
    #[inline]
    pub fn check(self, size: usize) -> Result<(), AccessError> {
        match self.addr.checked_add(size) {
            Some(end) if self.addr >= self.lo && end <= self.hi => Ok(()),
            _ => Err(AccessError::OutOfBounds {
                offset: self.addr as i128 - self.lo as i128,
                size,
                len: self.hi.wrapping_sub(self.lo),
            }),
        }
    }

    /// Reads a number.
    #[inline]
    pub fn load(self, s: Scalar) -> Result<Num, AccessError> {
        self.load_inline(s)
    }

    /// [`Place::load`], inlined into the caller (for the ffi's call path).
    #[inline(always)]
    pub fn load_inline(self, s: Scalar) -> Result<Num, AccessError> {
        self.check(s.size())?;
        let p = self.addr as *const u8;
        // SAFETY: `check` keeps bounded places inside the live memory of the cdata they were
        // made from (held alive by the caller's references to it); an unbounded place is an
        // address the script produced, which it vouches for as C code would (not NULL: the
        // callers refuse it). Unaligned reads: packed structs place members anywhere.
        let n = unsafe {
            match s {
                Scalar::Bool => Num::U(u64::from(p.read() != 0)),
                Scalar::I8 => Num::I(i64::from(p.cast::<i8>().read())),
                Scalar::U8 => Num::U(u64::from(p.read())),
                Scalar::I16 => Num::I(i64::from(p.cast::<i16>().read_unaligned())),
                Scalar::U16 => Num::U(u64::from(p.cast::<u16>().read_unaligned())),
                Scalar::I32 => Num::I(i64::from(p.cast::<i32>().read_unaligned())),
                Scalar::U32 => Num::U(u64::from(p.cast::<u32>().read_unaligned())),
                Scalar::I64 => Num::I(p.cast::<i64>().read_unaligned()),
                Scalar::U64 => Num::U(p.cast::<u64>().read_unaligned()),
                Scalar::F32 => Num::F(f64::from(p.cast::<f32>().read_unaligned())),
                Scalar::F64 => Num::F(p.cast::<f64>().read_unaligned()),
            }
        };
        Ok(n)
    }

    /// Writes a number converted to `s` with C's rules (see [`convert_num`]).
    #[inline]
    pub fn store(self, s: Scalar, n: Num) -> Result<(), AccessError> {
        self.store_inline(s, n)
    }

    /// [`Place::store`], inlined into the caller (for the ffi's call path).
    #[inline(always)]
    pub fn store_inline(self, s: Scalar, n: Num) -> Result<(), AccessError> {
        self.check(s.size())?;
        let p = self.addr as *mut u8;
        let bits = convert_num(n, s);
        // SAFETY: as in `load`: bounded places are inside live cdata memory, unbounded ones
        // are the script's responsibility. Unaligned writes for packed structs.
        unsafe {
            match s.size() {
                1 => p.write(bits as u8),
                2 => p.cast::<u16>().write_unaligned(bits as u16),
                4 => p.cast::<u32>().write_unaligned(bits as u32),
                _ => p.cast::<u64>().write_unaligned(bits),
            }
        }
        Ok(())
    }

    /// Reads a pointer-sized address.
    #[inline]
    pub fn load_addr(self) -> Result<usize, AccessError> {
        match self.load(Scalar::int(std::mem::size_of::<usize>() as u32, false))? {
            Num::U(u) => Ok(u as usize),
            _ => unreachable!("unsigned loads give Num::U"),
        }
    }

    /// Writes a pointer-sized address.
    pub fn store_addr(self, addr: usize) -> Result<(), AccessError> {
        self.store(Scalar::int(std::mem::size_of::<usize>() as u32, false), Num::U(addr as u64))
    }

    /// Copies `len` bytes out.
    pub fn read_bytes(self, len: usize) -> Result<Vec<u8>, AccessError> {
        self.check(len)?;
        let mut out = vec![0u8; len];
        // SAFETY: the source is valid for `len` bytes as in `load`; `out` is a fresh buffer of
        // `len` bytes, which cannot overlap C memory.
        unsafe { std::ptr::copy_nonoverlapping(self.addr as *const u8, out.as_mut_ptr(), len) };
        Ok(out)
    }

    /// Copies `bytes` in.
    pub fn write_bytes(self, bytes: &[u8]) -> Result<(), AccessError> {
        self.check(bytes.len())?;
        // SAFETY: the destination is valid for `bytes.len()` bytes as in `store`; `bytes` is a
        // Rust slice (a Lua string's bytes or a buffer), which C memory cannot overlap.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.addr as *mut u8, bytes.len()) };
        Ok(())
    }

    /// Copies `len` bytes from `src` (the areas may overlap, as `memmove`).
    pub fn copy_from(self, src: Place, len: usize) -> Result<(), AccessError> {
        self.check(len)?;
        src.check(len)?;
        // SAFETY: both areas are valid for `len` bytes (as in `load` and `store`); `copy`
        // allows overlap.
        unsafe { std::ptr::copy(src.addr as *const u8, self.addr as *mut u8, len) };
        Ok(())
    }

    /// Sets `len` bytes to `byte`.
    pub fn fill(self, len: usize, byte: u8) -> Result<(), AccessError> {
        self.check(len)?;
        // SAFETY: the destination is valid for `len` bytes, as in `store`.
        unsafe { std::ptr::write_bytes(self.addr as *mut u8, byte, len) };
        Ok(())
    }

    /// Length of the zero-terminated string at the place. A bounded place without a zero
    /// byte inside its bounds is an out-of-bounds access.
    pub fn strlen(self) -> Result<usize, AccessError> {
        match self.remaining() {
            Some(avail) => {
                self.check(0)?;
                // SAFETY: the `avail` bytes from the place are inside the owner's memory.
                let bytes = unsafe { std::slice::from_raw_parts(self.addr as *const u8, avail) };
                bytes.iter().position(|&b| b == 0).ok_or(AccessError::OutOfBounds {
                    offset: self.addr as i128 - self.lo as i128,
                    size: avail + 1,
                    len: self.hi - self.lo,
                })
            }
            // SAFETY: an unbounded place is an address the script vouches for, as a `char *`
            // passed to `strlen` in C; it is not NULL (the callers refuse it).
            None => Ok(unsafe { std::ffi::CStr::from_ptr(self.addr as *const std::ffi::c_char) }.count_bytes()),
        }
    }

    /// Reads the bits `[bit, bit + width)` counted from the place (little-endian).
    pub fn load_bits(self, bit: u64, width: u32) -> Result<u64, AccessError> {
        let (first, nbytes) = bit_span(bit, width);
        let bytes = self.offset(first as i64).read_bytes(nbytes)?;
        let mut word = 0u128;
        for (i, b) in bytes.iter().enumerate() {
            word |= u128::from(*b) << (8 * i);
        }
        let shift = bit - first * 8;
        Ok(((word >> shift) & mask(width)) as u64)
    }

    /// Writes `value` into the bits `[bit, bit + width)` counted from the place.
    pub fn store_bits(self, bit: u64, width: u32, value: u64) -> Result<(), AccessError> {
        let (first, nbytes) = bit_span(bit, width);
        let at = self.offset(first as i64);
        let bytes = at.read_bytes(nbytes)?;
        let mut word = 0u128;
        for (i, b) in bytes.iter().enumerate() {
            word |= u128::from(*b) << (8 * i);
        }
        let shift = bit - first * 8;
        word = (word & !(mask(width) << shift)) | ((u128::from(value) & mask(width)) << shift);
        let out: Vec<u8> = (0..nbytes).map(|i| (word >> (8 * i)) as u8).collect();
        at.write_bytes(&out)
    }
}

fn mask(width: u32) -> u128 {
    (1u128 << width) - 1
}

/// First byte and number of bytes holding the bits `[bit, bit + width)`.
fn bit_span(bit: u64, width: u32) -> (u64, usize) {
    let first = bit / 8;
    let last = (bit + u64::from(width.max(1)) - 1) / 8;
    (first, (last - first + 1) as usize)
}

/// `value` converted to the bits of scalar type `s` with C's conversion rules as LuaJIT
/// applies them: integers wrap to the width; floating values go through `int64_t` (or
/// `uint64_t` for 64-bit unsigned) with truncation; `bool` is 1 for any non-zero value.
#[inline]
pub(crate) fn convert_num(n: Num, s: Scalar) -> u64 {
    match s {
        Scalar::Bool => u64::from(match n {
            Num::I(i) => i != 0,
            Num::U(u) => u != 0,
            Num::F(f) => f != 0.0,
        }),
        Scalar::F32 => u64::from((num_to_f64(n) as f32).to_bits()),
        Scalar::F64 => num_to_f64(n).to_bits(),
        Scalar::U64 => match n {
            Num::F(f) => f64_to_u64(f),
            Num::I(i) => i as u64,
            Num::U(u) => u,
        },
        _ => match n {
            Num::F(f) => f64_to_i64(f) as u64,
            Num::I(i) => i as u64,
            Num::U(u) => u,
        },
    }
}

pub(crate) fn num_to_f64(n: Num) -> f64 {
    match n {
        Num::I(i) => i as f64,
        Num::U(u) => u as f64,
        Num::F(f) => f,
    }
}

/// C's truncating conversion to `int64_t` as x86-64 performs it: values outside the range
/// (and NaN) give `INT64_MIN`.
pub(crate) fn f64_to_i64(f: f64) -> i64 {
    if (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
        f as i64
    } else {
        i64::MIN
    }
}

/// Conversion to `uint64_t` with LuaJIT's extended range: values from 2^63 up to 2^64 keep
/// their unsigned value, negative ones wrap through `int64_t` (so -1 gives 2^64-1).
pub(crate) fn f64_to_u64(f: f64) -> u64 {
    if (9223372036854775808.0..18446744073709551616.0).contains(&f) {
        f as u64
    } else {
        f64_to_i64(f) as u64
    }
}

/// `value` read back as the scalar `s` (the inverse of the bit pattern `convert_num` makes).
#[inline]
pub(crate) fn bits_to_num(bits: u64, s: Scalar) -> Num {
    match s {
        Scalar::Bool => Num::U(u64::from(bits & 0xff != 0)),
        Scalar::I8 => Num::I(i64::from(bits as i8)),
        Scalar::I16 => Num::I(i64::from(bits as i16)),
        Scalar::I32 => Num::I(i64::from(bits as i32)),
        Scalar::I64 => Num::I(bits as i64),
        Scalar::U8 => Num::U(bits & 0xff),
        Scalar::U16 => Num::U(bits & 0xffff),
        Scalar::U32 => Num::U(bits & 0xffff_ffff),
        Scalar::U64 => Num::U(bits),
        Scalar::F32 => Num::F(f64::from(f32::from_bits(bits as u32))),
        Scalar::F64 => Num::F(f64::from_bits(bits)),
    }
}

/// Sets the C library's `errno` of the running thread.
pub(crate) fn set_errno(value: i32) {
    // SAFETY: the C library returns the address of the calling thread's `errno`, valid for
    // the life of the thread; writing an int there is what `errno = value` does in C.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    unsafe {
        *libc::__errno_location() = value;
    }
    // SAFETY: as above (`__error` is macOS's name for it).
    #[cfg(target_os = "macos")]
    unsafe {
        *libc::__error() = value;
    }
    // SAFETY: as above (`_errno` is the Microsoft C runtime's name for it).
    #[cfg(windows)]
    unsafe {
        *libc::_errno() = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some_id() -> CTypeId {
        rivet_ffi::CTypeTable::new(rivet_ffi::Target::X86_64_LINUX).parse_type("int", &[]).unwrap()
    }

    #[test]
    fn conversions_follow_c_casts() {
        assert_eq!(bits_to_num(convert_num(Num::I(300), Scalar::U8), Scalar::U8), Num::U(44));
        assert_eq!(bits_to_num(convert_num(Num::I(200), Scalar::I8), Scalar::I8), Num::I(-56));
        // Doubles go through int64_t: 0xffffffff fits int32_t as -1 (LuaJIT's extended range).
        assert_eq!(bits_to_num(convert_num(Num::F(4294967295.0), Scalar::I32), Scalar::I32), Num::I(-1));
        assert_eq!(bits_to_num(convert_num(Num::F(-3.7), Scalar::I32), Scalar::I32), Num::I(-3));
        assert_eq!(convert_num(Num::F(-1.0), Scalar::U64), u64::MAX);
        assert_eq!(convert_num(Num::F(1e19), Scalar::U64), 10_000_000_000_000_000_000);
        assert_eq!(convert_num(Num::F(f64::NAN), Scalar::I64), i64::MIN as u64);
        assert_eq!(convert_num(Num::F(0.5), Scalar::Bool), 1);
        assert_eq!(
            bits_to_num(convert_num(Num::F(1.0 / 3.0), Scalar::F32), Scalar::F32),
            Num::F(f64::from(1.0f32 / 3.0))
        );
    }

    #[test]
    fn values_are_zeroed_and_bounded() {
        let small = CData::new_value(some_id(), 12, 4, None).unwrap();
        let big = CData::new_value(some_id(), 1000, 16, None).unwrap();
        assert_eq!(big.addr() % 16, 0);
        for cd in [&small, &big] {
            let p = cd.own_place();
            assert_eq!(p.load(Scalar::I32).unwrap(), Num::I(0));
            p.offset(cd.len as i64 - 4).store(Scalar::I32, Num::I(-5)).unwrap();
            assert_eq!(p.offset(cd.len as i64 - 4).load(Scalar::I32).unwrap(), Num::I(-5));
            assert!(p.offset(cd.len as i64 - 3).load(Scalar::I32).is_err());
            assert!(p.offset(-1).load(Scalar::U8).is_err());
        }
    }

    #[test]
    fn bit_fields_cross_bytes() {
        let cd = CData::new_value(some_id(), 8, 8, None).unwrap();
        let p = cd.own_place();
        p.store_bits(5, 7, 0x7f).unwrap();
        assert_eq!(p.load(Scalar::U16).unwrap(), Num::U(0x7f << 5));
        assert_eq!(p.load_bits(5, 7).unwrap(), 0x7f);
        p.store_bits(6, 2, 0).unwrap();
        assert_eq!(p.load_bits(5, 7).unwrap(), 0x79);
        p.store_bits(0, 64, u64::MAX).unwrap();
        assert_eq!(p.load_bits(0, 64).unwrap(), u64::MAX);
    }

    #[test]
    fn strlen_stays_inside_the_owner() {
        let cd = CData::new_value(some_id(), 4, 1, None).unwrap();
        let p = cd.own_place();
        p.write_bytes(b"abcd").unwrap();
        assert!(p.strlen().is_err());
        p.offset(2).store(Scalar::U8, Num::U(0)).unwrap();
        assert_eq!(p.strlen().unwrap(), 2);
    }
}
