/* A hand-written Lua 5.4 C API binding of the benchmark functions: what a Lua 5.4 user
 * writes without an FFI. Loaded by `require "luabind"`. */
#include <lua.h>
#include <lauxlib.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct { double x, y, z; int64_t tag; } vec4;
int add(int, int);
double fadd(double, double);
int64_t sum6(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
vec4 vscale(vec4, double);

static int l_add(lua_State *L) {
    lua_pushinteger(L, add((int)luaL_checkinteger(L, 1), (int)luaL_checkinteger(L, 2)));
    return 1;
}
static int l_fadd(lua_State *L) {
    lua_pushnumber(L, fadd(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
    return 1;
}
static int l_sum6(lua_State *L) {
    int64_t a[6];
    for (int i = 0; i < 6; i++) a[i] = luaL_checkinteger(L, i + 1);
    lua_pushinteger(L, sum6(a[0], a[1], a[2], a[3], a[4], a[5]));
    return 1;
}
/* A struct by value: a full userdata in, a new one out (as a binding must do). */
static int l_vscale(lua_State *L) {
    vec4 *v = luaL_checkudata(L, 1, "vec4");
    vec4 *r = lua_newuserdatauv(L, sizeof(vec4), 0);
    *r = vscale(*v, luaL_checknumber(L, 2));
    luaL_setmetatable(L, "vec4");
    return 1;
}
static int l_vnew(lua_State *L) {
    vec4 *r = lua_newuserdatauv(L, sizeof(vec4), 0);
    r->x = luaL_checknumber(L, 1); r->y = luaL_checknumber(L, 2); r->z = luaL_checknumber(L, 3); r->tag = 0;
    luaL_setmetatable(L, "vec4");
    return 1;
}
static int l_vtag(lua_State *L) {
    lua_pushinteger(L, ((vec4 *)luaL_checkudata(L, 1, "vec4"))->tag);
    return 1;
}
/* qsort with a Lua comparator: the binding keeps the state and the function in statics
 * (qsort has no context argument), as such bindings do. */
typedef struct { long n; int v[]; } intarray;
static lua_State *cmp_L;
static int l_cmp_trampoline(const void *a, const void *b) {
    lua_pushvalue(cmp_L, 2);
    lua_pushinteger(cmp_L, *(const int *)a);
    lua_pushinteger(cmp_L, *(const int *)b);
    lua_call(cmp_L, 2, 1);
    int r = (int)lua_tointeger(cmp_L, -1);
    lua_pop(cmp_L, 1);
    return r;
}
static int l_intarray(lua_State *L) {
    long n = (long)luaL_checkinteger(L, 1);
    intarray *a = lua_newuserdatauv(L, sizeof(intarray) + n * sizeof(int), 0);
    a->n = n;
    return 1;
}
static int l_set(lua_State *L) {
    intarray *a = lua_touserdata(L, 1);
    a->v[luaL_checkinteger(L, 2)] = (int)luaL_checkinteger(L, 3);
    return 0;
}
static int l_sorted(lua_State *L) {
    intarray *a = lua_touserdata(L, 1);
    int ok = 1;
    for (long i = 1; i < a->n; i++) ok &= a->v[i - 1] <= a->v[i];
    lua_pushboolean(L, ok);
    return 1;
}
static int l_qsort(lua_State *L) {
    intarray *a = lua_touserdata(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    cmp_L = L;
    qsort(a->v, a->n, sizeof(int), l_cmp_trampoline);
    return 0;
}
int luaopen_luabind(lua_State *L) {
    luaL_newmetatable(L, "vec4");
    lua_pop(L, 1);
    luaL_Reg fns[] = {{"add", l_add}, {"fadd", l_fadd}, {"sum6", l_sum6}, {"vscale", l_vscale},
                      {"vnew", l_vnew}, {"vtag", l_vtag}, {"intarray", l_intarray}, {"set", l_set},
                      {"sorted", l_sorted}, {"qsort", l_qsort}, {NULL, NULL}};
    luaL_newlib(L, fns);
    return 1;
}
