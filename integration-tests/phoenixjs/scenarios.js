// Runs one scenario of the official phoenix.js client against a Phoenix server (the Java test server in
// integration-tests) and prints what phoenix.js reported, as one JSON line on stdout:
//   {"scenario": ..., "phoenix": "1.8.16", "events": [{"type": ..., ...}, ...], "outcome": "done" | "deadline" | "error"}
// Usage: node scenarios.js <phoenix17|phoenix18> <socket url, e.g. ws://127.0.0.1:4000/socket> <scenario>
"use strict";

const [, , pkg, url, scenario] = process.argv;
const { Socket, Presence } = require(pkg);
const WebSocket = require("ws");

const events = [];
const note = (type, data = {}) => events.push({ type, ...data });
const version = require("fs").readFileSync(require.resolve(pkg).replace(/priv.static.*$/, "package.json"), "utf8");

function finish(outcome) {
  process.stdout.write(JSON.stringify({ scenario, phoenix: JSON.parse(version).version, events, outcome }) + "\n");
  process.exit(outcome === "done" ? 0 : 2);
}
setTimeout(() => finish("deadline"), Number(process.env.SCENARIO_DEADLINE_MS || 10000)).unref();

const sockets = [];
function connect(params, opts = {}) {
  const socket = new Socket(url, {
    transport: WebSocket,
    params,
    heartbeatIntervalMs: 30000,
    reconnectAfterMs: () => 50,
    rejoinAfterMs: () => 100,
    ...opts,
  });
  socket.connect();
  sockets.push(socket);
  return socket;
}

/** Resolves with the outcome of a push (or join): {status, resp} for ok/error, {status: "timeout"}. */
function outcome(push) {
  return new Promise((resolve) => {
    push
      .receive("ok", (resp) => resolve({ status: "ok", resp }))
      .receive("error", (resp) => resolve({ status: "error", resp }))
      .receive("timeout", () => resolve({ status: "timeout" }));
  });
}

function nextEvent(channel, event) {
  return new Promise((resolve) => {
    const ref = channel.on(event, (payload) => {
      channel.off(event, ref);
      resolve(payload);
    });
  });
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (predicate, what) => {
  for (let i = 0; i < 200; i++) {
    if (predicate()) return;
    await wait(10);
  }
  throw new Error("timed out waiting for " + what);
};
const bytes = (buffer) => Array.from(new Uint8Array(buffer));

const scenarios = {
  async join_ok() {
    const socket = connect({ user_id: "alice" });
    const room = socket.channel("room:lobby", { name: "Alice" });
    const state = nextEvent(room, "presence_state");
    note("join", await outcome(room.join()));
    note("presence_state", { state: await state });
  },

  async join_error() {
    const socket = connect({ user_id: "bob" });
    const room = socket.channel("room:private", {});
    let attempts = 0;
    await new Promise((resolve) => {
      room.join().receive("error", (resp) => {
        note("join", { status: "error", resp });
        if (++attempts === 2) resolve();
      });
    });
    note("leave", await outcome(room.leave()));
    const crash = socket.channel("room:crash_on_join", {});
    note("crash_join", await outcome(crash.join()));
    crash.leave();
  },

  async echo() {
    const socket = connect({ user_id: "dan" });
    const room = socket.channel("room:echo", { presence: false });
    await outcome(room.join());
    note("echo", await outcome(room.push("echo", { hello: "world", n: 1, nested: { list: [1, "two", null, true] } })));
    const items = [];
    room.on("item", (payload) => items.push(payload.i));
    note("push_many", await outcome(room.push("push_many", { n: 3 })));
    note("items", { items });
    note("unknown", await outcome(room.push("no_such_event", { x: 1 })));
  },

  async error_reply() {
    const socket = connect({ user_id: "erin" });
    const room = socket.channel("room:err", { presence: false });
    await outcome(room.join());
    note("error_reply", await outcome(room.push("error_reply", { why: "test" })));
  },

  async timeout() {
    const socket = connect({ user_id: "fay" });
    const room = socket.channel("room:timeout", { presence: false });
    await outcome(room.join());
    note("noreply", await outcome(room.push("noreply", { a: 1 }, 300)));
    note("too_slow", await outcome(room.push("slow", { ms: 600 }, 200)));
    note("slow", await outcome(room.push("slow", { ms: 100 }, 2000)));
  },

  async broadcast() {
    const a = connect({ user_id: "gus" });
    const b = connect({ user_id: "hal" });
    const roomA = a.channel("room:bcast", { presence: false });
    const roomB = b.channel("room:bcast", { presence: false });
    await outcome(roomA.join());
    await outcome(roomB.join());
    const gotA = [];
    const gotB = [];
    roomA.on("broadcasted", (payload) => gotA.push(payload.msg));
    roomB.on("broadcasted", (payload) => gotB.push(payload.msg));
    note("broadcast", await outcome(roomA.push("broadcast", { msg: "to everyone" })));
    await until(() => gotB.length === 1, "the broadcast on B");
    note("broadcast_from", await outcome(roomA.push("broadcast_from", { msg: "to everyone but me" })));
    await until(() => gotB.length === 2, "the broadcast_from on B");
    note("received", { a: gotA, b: gotB });
  },

  async presence() {
    const a = connect({ user_id: "ivy" });
    const b = connect({ user_id: "jon" });
    const roomA = a.channel("room:presence", { name: "Ivy" });
    const presence = new Presence(roomA);
    const list = () => presence.list((id, { metas }) => ({ id, name: metas[0].name, status: metas[0].status || null }));
    presence.onJoin((id, current) => note("onJoin", { id, fresh: !current }));
    presence.onLeave((id, current) => note("onLeave", { id, gone: current.metas.length === 0 }));
    await outcome(roomA.join());
    await until(() => list().length === 1, "ivy's own presence");
    const roomB = b.channel("room:presence", { name: "Jon" });
    await outcome(roomB.join());
    await until(() => list().length === 2, "jon's presence");
    note("after_join", { list: list() });
    note("update", await outcome(roomB.push("update_presence", { status: "away" })));
    await until(() => list().some((p) => p.status === "away"), "jon's update");
    note("after_update", { list: list() });
    await outcome(roomB.leave());
    await until(() => list().length === 1, "jon's leave");
    note("after_leave", { list: list() });
  },

  async crash_rejoin() {
    const socket = connect({ user_id: "max" });
    const room = socket.channel("room:crashy", { name: "Max", presence: false });
    let joins = 0;
    room.join().receive("ok", () => joins++);
    await until(() => joins === 1, "the join");
    room.onError((reason) => note("channel_error", { reason }));
    const crash = outcome(room.push("crash", {}, 1000));
    await until(() => joins === 2, "the rejoin");
    note("rejoined", { joins });
    note("crash_push", await crash);
    note("echo", await outcome(room.push("echo", { after: "rejoin" })));
  },

  async server_stop() {
    const socket = connect({ user_id: "ned" });
    const room = socket.channel("room:stop", { presence: false });
    await outcome(room.join());
    room.onClose((payload) => note("channel_close", { payload }));
    note("stop", await outcome(room.push("stop", {}, 500)));
    note("state", { state: room.state });
  },

  async binary() {
    const socket = connect({ user_id: "quin" });
    const room = socket.channel("room:bin", { presence: false });
    await outcome(room.join());
    const echoed = await outcome(room.push("binary_echo", new Uint8Array([0, 1, 2, 3, 254, 255]).buffer));
    note("binary_echo", { status: echoed.status, bytes: bytes(echoed.resp) });
    const item = nextEvent(room, "binary_item");
    note("binary_push", await outcome(room.push("binary_push", { size: 5 })));
    note("binary_item", { bytes: bytes(await item) });
    const bcast = nextEvent(room, "binary_bcast");
    note("binary_broadcast", await outcome(room.push("binary_broadcast", { size: 4 })));
    note("binary_bcast", { bytes: bytes(await bcast) });
  },

  async heartbeat() {
    const socket = connect({ user_id: "kim" }, { heartbeatIntervalMs: 100 });
    let replies = 0;
    socket.onMessage(({ topic, event, payload }) => {
      if (topic === "phoenix" && event === "phx_reply" && payload.status === "ok") replies++;
    });
    await until(() => replies >= 3, "three heartbeat replies");
    note("heartbeats", { replies, connected: socket.isConnected() });
  },

  async refused() {
    const socket = connect({ token: "bad" });
    let errors = 0;
    const closes = [];
    socket.onError(() => errors++);
    socket.onClose((event) => closes.push(event.code));
    await until(() => errors >= 2, "two refused attempts");
    note("refused", { errors, closes, connected: socket.isConnected() });
  },

  async v1() {
    const socket = connect({ user_id: "rita" }, {
      vsn: "1.0.0",
      encode: (message, callback) => callback(JSON.stringify(message)),
      decode: (raw, callback) => callback(JSON.parse(raw)),
    });
    const room = socket.channel("room:v1", { name: "Rita", presence: false });
    note("join", await outcome(room.join()));
    note("echo", await outcome(room.push("echo", { v: 1 })));
    note("error_reply", await outcome(room.push("error_reply", {})));
    const broadcasted = nextEvent(room, "broadcasted");
    note("broadcast", await outcome(room.push("broadcast", { v1: true })));
    note("broadcasted", { payload: await broadcasted });
    note("leave", await outcome(room.leave()));
  },

  async disconnect_by_id() {
    const socket = connect({ user_id: "dora" });
    let opens = 0;
    const closes = [];
    socket.onOpen(() => opens++);
    socket.onClose((event) => closes.push(event.code));
    const room = socket.channel("room:dc", { presence: false });
    await outcome(room.join());
    note("disconnect_me", await outcome(room.push("disconnect_me", {})));
    await until(() => closes.length === 1, "the close");
    if (pkg === "phoenix18") {
      await until(() => opens === 2, "the reconnect");
    }
    note("closed", { closes, opens });
  },

  async auth_token() {
    const socket = connect({ user_id: "param_user" }, { authToken: "secret-token" });
    const room = socket.channel("room:auth", { presence: false });
    await outcome(room.join());
    note("whoami", await outcome(room.push("whoami", {})));
  },
};

(async () => {
  if (!scenarios[scenario]) {
    note("unknown_scenario", { known: Object.keys(scenarios) });
    finish("error");
  }
  try {
    await scenarios[scenario]();
    for (const socket of sockets) socket.disconnect();
    finish("done");
  } catch (error) {
    note("exception", { message: String(error && error.stack || error) });
    finish("error");
  }
})();
