// The official phoenix.js client (npm phoenix 1.8.16 over ws 8, versions locked in package-lock.json) driven
// through the comparison's workloads; the same workloads as the JVM clients in
// benchmarks/src/main/java/io/phoenixchannels/benchmarks/workloads, with the same payloads and options.
// Prints one line `RESULT {json}` and exits. Compare.java starts it; by hand:
//   node --expose-gc client.js <w1|w1x4|w2|w3|w4|crowdN> ws://127.0.0.1:4000/socket [key=value...]
"use strict";

const fs = require("fs");
const { Socket, Presence } = require("phoenix");
const WebSocket = require("ws");

const [, , workload, url, ...rest] = process.argv;
const options = Object.fromEntries(rest.map((kv) => kv.split("=", 2)));
const num = (key, dflt) => (options[key] === undefined ? dflt : Number(options[key]));
const warmupMs = num("warmup_ms", 3000);
const measureMs = num("measure_ms", 5000);
const warmupOps = num("warmup_ops", -1);
const measureOps = num("measure_ops", -1);
const latencyMeasureMs = num("latency_measure_ms", 10000);
const inFlight = num("in_flight", 100);
const rate = num("rate", 2000);
const tickBatch = num("tick_batch", 1000);
const deadlineMs = num("deadline_ms", 60000);

// The same JSON as Payloads.java.
const ECHO = { body: "the quick brown fox jumps over the lazy dog", n: 42 };
const JOIN = { presence: false };

let errors = 0;
let firstError = null;
const countError = (what) => {
  errors++;
  if (firstError === null) firstError = String(what);
};

const nowNs = () => process.hrtime.bigint();
const cpuNs = () => { const u = process.cpuUsage(); return (u.user + u.system) * 1000; };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const osThreads = () => fs.readdirSync("/proc/self/task").length;
function heapAfterGc() {
  for (let i = 0; i < 3; i++) global.gc();
  return process.memoryUsage().heapUsed;
}

function open() {
  const socket = new Socket(url, { transport: WebSocket });
  socket.onError((error) => countError("socket error: " + (error && error.message ? error.message : String(error))));
  socket.connect();
  return socket;
}

function join(socket, topic, params) {
  return new Promise((resolve) => {
    const channel = socket.channel(topic, params);
    channel.join()
      .receive("ok", () => resolve(channel))
      .receive("error", (resp) => countError("join " + topic + ": error " + JSON.stringify(resp)))
      .receive("timeout", () => countError("join " + topic + ": timeout"));
  });
}

function push(channel, event, payload, onOk) {
  channel.push(event, payload)
    .receive("ok", onOk)
    .receive("error", (resp) => countError(event + ": error " + JSON.stringify(resp)))
    .receive("timeout", () => countError(event + ": timeout"));
}

// A warm-up and a measured window in time, or in operations (warmup_ops, measure_ops), as MeasuredWindow.java.
async function untilCount(counter, target) {
  const deadline = Date.now() + deadlineMs;
  while (counter() < target && Date.now() < deadline) await sleep(2);
}
const warmUp = (counter) => (warmupOps >= 0 ? untilCount(counter, warmupOps) : sleep(warmupMs));
const measure = (counter, start) => (measureOps > 0 ? untilCount(counter, start + measureOps) : sleep(measureMs));

async function pipelinedEcho(sockets) {
  const channels = [];
  for (let i = 0; i < sockets; i++) channels.push(await join(open(), "room:bench-w1-" + i, JOIN));
  let replies = 0;
  let running = true;
  for (const channel of channels) {
    const next = () => {
      replies++;
      if (running) push(channel, "echo", ECHO, next);
    };
    for (let i = 0; i < inFlight; i++) push(channel, "echo", ECHO, next);
  }
  await warmUp(() => replies);
  const r0 = replies, c0 = cpuNs(), t0 = nowNs();
  await measure(() => replies, r0);
  const r1 = replies, c1 = cpuNs(), t1 = nowNs();
  running = false;
  const count = r1 - r0;
  const seconds = Number(t1 - t0) / 1e9;
  return {
    sockets, in_flight_per_socket: inFlight, replies: count, seconds, ops_per_sec: count / seconds,
    cpu_us_per_op: count ? (c1 - c0) / 1e3 / count : null, cpu_cores: (c1 - c0) / 1e9 / seconds,
  };
}

// Paced at a fixed rate and measured from each push's intended send time. Node's timers have a 1 ms resolution,
// so the sender wakes at most once a millisecond and sends every push that is due by then.
// Pipelined echo pushes for burst_ms before pacing, so that the JIT has compiled the path (as PacedLatency.java).
async function warmUpInBursts(channel) {
  const end = Date.now() + num("burst_ms", 2000);
  let sent = 0;
  let replies = 0;
  await new Promise((resolve) => {
    const next = () => {
      replies++;
      if (Date.now() < end) {
        sent++;
        push(channel, "echo", ECHO, next);
      } else if (replies === sent) {
        resolve();
      }
    };
    for (let i = 0; i < 50; i++) {
      sent++;
      push(channel, "echo", ECHO, next);
    }
  });
}

async function pacedLatency() {
  const channel = await join(open(), "room:bench-w2", JOIN);
  await warmUpInBursts(channel);
  const period = 1e9 / rate;
  const start = Number(nowNs()) + 10e6;
  const recordFrom = start + warmupMs * 1e6;
  const end = recordFrom + latencyMeasureMs * 1e6;
  const capacity = Math.ceil((latencyMeasureMs / 1000) * rate) + 10;
  const fromIntended = new Float64Array(capacity);
  const fromSent = new Float64Array(capacity);
  let recorded = 0;
  let measured = 0;
  let c0 = 0;
  let i = 0;
  await new Promise((resolve) => {
    const sendDue = () => {
      const now = Number(nowNs());
      for (;;) {
        const intended = start + i * period;
        if (intended >= end) return resolve();
        if (intended > now) break;
        i++;
        const record = intended >= recordFrom;
        if (record) {
          if (measured === 0) c0 = cpuNs();
          measured++;
        }
        const sent = Number(nowNs());
        push(channel, "echo", ECHO, () => {
          if (!record) return;
          const t = Number(nowNs());
          fromIntended[recorded] = t - intended;
          fromSent[recorded] = t - sent;
          recorded++;
        });
      }
      const wait = (start + i * period - Number(nowNs())) / 1e6;
      setTimeout(sendDue, Math.max(0, wait));
    };
    setTimeout(sendDue, 10);
  });
  const waitUntil = Date.now() + 1000;
  while (recorded < measured && Date.now() < waitUntil) await sleep(5);
  const c1 = cpuNs();
  const pct = (values, p) => {
    const sorted = Float64Array.from(values.subarray(0, recorded)).sort();
    if (sorted.length === 0) return null;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] / 1e6;
  };
  return {
    rate, pushes: measured, replies: recorded,
    p50_ms: pct(fromIntended, 50), p99_ms: pct(fromIntended, 99), p999_ms: pct(fromIntended, 99.9),
    max_ms: pct(fromIntended, 100), sent_p99_ms: pct(fromSent, 99),
    cpu_us_per_op: measured ? (c1 - c0) / 1e3 / measured : null,
  };
}

async function inboundPushes() {
  const channel = await join(open(), "game:bench-w3", JOIN);
  let ticks = 0;
  let running = true;
  channel.on("tick", () => { ticks++; });
  const request = { n: tickBatch };
  const next = () => { if (running) push(channel, "start_ticks", request, next); };
  push(channel, "start_ticks", request, next);
  push(channel, "start_ticks", request, next);
  await warmUp(() => ticks);
  const n0 = ticks, c0 = cpuNs(), t0 = nowNs();
  await measure(() => ticks, n0);
  const n1 = ticks, c1 = cpuNs(), t1 = nowNs();
  running = false;
  const count = n1 - n0;
  const seconds = Number(t1 - t0) / 1e9;
  return {
    tick_batch: tickBatch, messages: count, seconds, ops_per_sec: count / seconds,
    cpu_us_per_op: count ? (c1 - c0) / 1e3 / count : null, cpu_cores: (c1 - c0) / 1e9 / seconds,
  };
}

async function manySockets() {
  const count = num("sockets", 10000);
  const heap0 = heapAfterGc();
  const sockets = [];
  const channels = new Array(count).fill(null);
  let joined = 0;
  let lastJoin = 0n;
  let received = 0;
  let lastReceive = 0n;
  let expected = Infinity;
  let allReceived;
  const everyoneReceived = new Promise((resolve) => { allReceived = resolve; });
  const onBroadcast = () => {
    lastReceive = nowNs();
    if (++received === expected) allReceived();
  };
  let allJoined;
  const everyoneJoined = new Promise((resolve) => { allJoined = resolve; });
  const c0 = cpuNs();
  const t0 = nowNs();
  for (let i = 0; i < count; i++) {
    const socket = open();
    sockets.push(socket);
    join(socket, "room:bench-w4", JOIN).then((channel) => {
      channel.on("broadcasted", onBroadcast);
      channels[i] = channel;
      lastJoin = nowNs();
      if (++joined === count) allJoined(true);
    });
  }
  const everyone = await Promise.race([everyoneJoined, sleep(deadlineMs).then(() => false)]);
  const c1 = cpuNs();
  const result = {
    sockets: count, joined, join_seconds: everyone ? Number(lastJoin - t0) / 1e9 : null,
    join_cpu_us_per_socket: joined ? (c1 - c0) / 1e3 / joined : null,
    java_threads: osThreads(), os_threads: osThreads(),
  };
  const heap1 = heapAfterGc();
  result.heap_bytes_per_socket = joined ? Math.round((heap1 - heap0) / joined) : null;
  const sender = channels.find((c) => c !== null);
  if (sender) {
    const members = channels.filter((c) => c !== null).length;
    expected = members;
    const tb = nowNs();
    push(sender, "broadcast", ECHO, () => {});
    const all = await Promise.race([everyoneReceived.then(() => true), sleep(deadlineMs).then(() => false)]);
    result.broadcast_members = members;
    result.broadcast_received = received;
    result.broadcast_seconds = all ? Number(lastReceive - tb) / 1e9 : null;
  }
  result.sockets_kept = sockets.length;
  return result;
}

// Crowd (Crowd.java): N users, each socket with its own user id and its own Presence, join one fresh room; the time
// until every list holds N users and the process's CPU over that time. Keys are counted as a user would: a key
// that arrives adds one, a key whose last meta leaves takes one away; checked after every sync. warmup_users=K runs
// a crowd of K in a room of its own first and closes it.
function crowdRoom(run, users) {
  const topic = "room:bench-crowd-" + run;
  const room = { users, sockets: [], presences: [], converged: 0, lastConverged: 0n };
  room.everyone = new Promise((resolve) => { room.allConverged = resolve; });
  for (let i = 0; i < users; i++) {
    const socket = new Socket(url, { transport: WebSocket, params: { user_id: "crowd-" + run + "-" + i } });
    socket.onError((error) => countError("socket error: " + (error && error.message ? error.message : String(error))));
    socket.connect();
    const channel = socket.channel(topic, { name: "u" + i });
    const presence = new Presence(channel);
    let keys = 0;
    let reached = false;
    presence.onJoin((key, current) => { if (!current) keys++; });
    presence.onLeave((key, current) => { if (current.metas.length === 0) keys--; });
    presence.onSync(() => {
      if (keys === users && !reached) {
        reached = true;
        room.lastConverged = nowNs();
        if (++room.converged === users) room.allConverged(true);
      }
    });
    room.sockets.push(socket);
    room.presences.push(presence);
    channel.join()
      .receive("error", (resp) => countError("join " + topic + ": error " + JSON.stringify(resp)))
      .receive("timeout", () => countError("join " + topic + ": timeout"));
  }
  room.await = () => Promise.race([room.everyone, sleep(deadlineMs).then(() => false)]);
  return room;
}

async function crowd(defaultUsers) {
  const users = num("sockets", defaultUsers);
  const run = Date.now().toString(36) + "-" + process.pid;
  const result = { users };
  const warmupUsers = num("warmup_users", 0);
  if (warmupUsers > 0) {
    const warmup = crowdRoom(run + "-warmup", warmupUsers);
    result.warmup_users = warmupUsers;
    result.warmup_converged = await warmup.await();
    for (const socket of warmup.sockets) socket.disconnect();
    await sleep(3000);
  }
  const c0 = cpuNs();
  const t0 = nowNs();
  const room = crowdRoom(run, users);
  const all = await room.await();
  const c1 = cpuNs();
  const t1 = nowNs();
  return Object.assign(result, {
    lists_converged: room.converged, converge_seconds: all ? Number(room.lastConverged - t0) / 1e9 : null,
    cpu_seconds: (c1 - c0) / 1e9, wall_seconds: Number(t1 - t0) / 1e9,
    lists_full_at_end: room.presences.filter((p) => p.list().length === users).length,
    sockets_kept: room.sockets.length,
  });
}

const workloads = {
  w1: () => pipelinedEcho(num("sockets", 1)),
  w1x4: () => pipelinedEcho(num("sockets", 4)),
  w2: pacedLatency,
  w3: inboundPushes,
  w4: manySockets,
};

(async () => {
  const result = { client: "phoenixjs", workload };
  try {
    const crowdUsers = /^crowd([1-9][0-9]*)$/.exec(workload);
    if (crowdUsers) {
      Object.assign(result, await crowd(Number(crowdUsers[1])));
    } else {
      if (!workloads[workload]) throw new Error("unknown workload " + workload);
      Object.assign(result, await workloads[workload]());
    }
  } catch (e) {
    result.failed = String(e);
  }
  result.errors = errors;
  result.first_error = firstError;
  process.stdout.write("RESULT " + JSON.stringify(result) + "\n", () => process.exit(result.failed ? 1 : 0));
})();
