// The playground: fetch a fresh secret from this server's /token, then talk to the Realtime API
// by voice (WebRTC + microphone) or by text (WebSocket). No secret is ever written to the page.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const meta = (name) => {
    const element = document.querySelector(`meta[name="${name}"]`);
    return element ? element.content : "";
  };
  const config = {
    api: meta("rtg-api"),
    provider: meta("rtg-provider"),
    model: meta("rtg-model"),
    websocketUrl: meta("rtg-websocket-url"),
    callsUrl: meta("rtg-calls-url"),
  };
  const ui = {
    mode: $("mode"),
    connect: $("connect"),
    disconnect: $("disconnect"),
    form: $("message-form"),
    message: $("message"),
    send: $("send"),
    status: $("status"),
    transcript: $("transcript"),
    log: $("log"),
    clear: $("clear-log"),
    audio: $("remote-audio"),
  };

  // The serve token travels in the fragment (#token=…), which the browser never sends.
  const tokenInAddress = () => new URLSearchParams(location.hash.slice(1)).get("token") || "";
  let serveToken = tokenInAddress();
  const knownTokens = new Set([serveToken]);  // kept for redaction after the address changes
  window.addEventListener("hashchange", () => {
    serveToken = tokenInAddress();
    knownTokens.add(serveToken);
  });
  const secrets = [];  // every secret this page fetched, so that none is ever shown

  // Counted for tests and for the curious: the CSP blocks, the page says so.
  window.playgroundCspViolations = 0;
  document.addEventListener("securitypolicyviolation", (event) => {
    window.playgroundCspViolations += 1;
    note(`Blocked by the page's Content-Security-Policy: ${event.violatedDirective} ${event.blockedURI || ""}`, "error");
  });

  function redact(text) {
    let out = String(text);
    for (const secret of secrets) {
      if (secret) out = out.split(secret).join("ek_…");
    }
    for (const token of knownTokens) {
      if (token) out = out.split(token).join("…");
    }
    return out.replace(/\bek_[A-Za-z0-9_-]+/g, "ek_…").replace(/\bsk-[A-Za-z0-9_-]+/g, "sk-…");
  }

  function note(text, kind) {
    const line = document.createElement("div");
    line.className = "entry" + (kind ? " " + kind : "");
    const time = new Date().toLocaleTimeString([], { hour12: false });
    line.textContent = `${time}  ${redact(text)}`;
    ui.log.append(line);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function say(speaker, text) {
    const line = document.createElement("div");
    line.className = "entry";
    const who = document.createElement("span");
    who.className = "speaker";
    who.textContent = speaker + ": ";
    const what = document.createElement("span");
    what.textContent = redact(text);
    line.append(who, what);
    ui.transcript.append(line);
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
    return what;
  }

  function setStatus(text, kind) {
    ui.status.textContent = text;
    ui.status.className = kind || "";
  }

  // -- connection state ----------------------------------------------------------------
  let session = null;  // {kind, close(), send?(text)}
  let connecting = false;

  function refreshControls() {
    const open = session !== null;
    const text = ui.mode.value === "text";
    ui.connect.disabled = open || connecting;
    ui.mode.disabled = open || connecting;
    ui.disconnect.disabled = !open && !connecting;
    const canSend = open && session.kind === "text" && session.ready;
    ui.message.disabled = !canSend;
    ui.send.disabled = !canSend;
    ui.message.placeholder = text ? "Type a message" : "Messages are for text mode";
  }

  function describeUpstreamError(body) {
    try {
      const parsed = JSON.parse(body);
      const error = parsed && parsed.error;
      if (error && typeof error === "object") {
        const code = error.code || error.type || "error";
        return `${code}: ${error.message || "(no message)"}`;
      }
    } catch (_) { /* not JSON: shown as sent */ }
    return body.trim() || "(empty body)";
  }

  async function fetchSecret() {
    note("Fetching a fresh client secret from /token…");
    const headers = {};
    if (serveToken) headers.Authorization = "Bearer " + serveToken;
    let response;
    try {
      response = await fetch("/token", { headers, cache: "no-store", credentials: "omit" });
    } catch (error) {
      throw new Error(`Cannot reach this server's /token (${error.message}). Is realtime-gui still serving?`);
    }
    const body = await response.text();
    if (!response.ok) {
      let hint = "";
      if (response.status === 401) {
        hint = serveToken
          ? " The token in this page's address is not the one serve uses now; open the playground again from realtime-gui."
          : " This server requires a token; open the playground from realtime-gui (Open playground), which adds it to the address.";
      }
      throw new Error(`/token answered HTTP ${response.status}: ${describeUpstreamError(body)}.${hint}`);
    }
    let data;
    try {
      data = JSON.parse(body);
    } catch (_) {
      throw new Error("/token answered with something that is not JSON.");
    }
    const value = data.value || (data.client_secret && data.client_secret.value);
    if (typeof value !== "string" || !value) {
      throw new Error("/token answered without a secret (no value).");
    }
    secrets.push(value);
    const granted = data.session || {};
    const expires = data.expires_at || (data.client_secret && data.client_secret.expires_at);
    const until = expires ? `, expires at ${new Date(expires * 1000).toLocaleTimeString([], { hour12: false })}` : "";
    note(`Got secret ek_… for session ${granted.id || "(no id)"}, model ${granted.model || config.model}${until}`);
    return { value, model: granted.model || config.model };
  }

  // -- text over WebSocket -------------------------------------------------------------
  function websocketUrlFor(model) {
    // The granted model wins: the secret is bound to it.
    if (!model || config.provider === "azure") return config.websocketUrl;
    const url = new URL(config.websocketUrl);
    if (url.searchParams.has("model")) url.searchParams.set("model", model);
    return url.toString();
  }

  const CLOSE_MEANINGS = {
    1000: "normal closure",
    1001: "the server is going away",
    1006: "the connection was cut without a close frame (network, refused upgrade or server crash; the browser hides which)",
    1008: "policy violation",
    1011: "the server hit an error",
    4000: "the server refused the session",
  };

  function openText(secret) {
    const url = websocketUrlFor(secret.model);
    note(`Opening the WebSocket ${url}`);
    const protocols = ["realtime", "openai-insecure-api-key." + secret.value];
    let socket;
    try {
      socket = new WebSocket(url, protocols);
    } catch (error) {
      throw new Error(`Cannot open the WebSocket: ${error.message}`);
    }
    const state = { kind: "text", ready: false, reply: null, replyText: "", closing: false };
    state.close = () => {
      state.closing = true;
      if (socket.readyState <= WebSocket.OPEN) socket.close(1000, "playground disconnect");
    };
    state.send = (text) => {
      socket.send(JSON.stringify({
        type: "conversation.item.create",
        item: { type: "message", role: "user", content: [{ type: "input_text", text }] },
      }));
      const response = config.api === "beta" ? { modalities: ["text"] } : { output_modalities: ["text"] };
      socket.send(JSON.stringify({ type: "response.create", response }));
      note(`→ conversation.item.create (input_text), response.create (text)`, "sent");
    };
    socket.addEventListener("open", () => note(`WebSocket open (subprotocol ${socket.protocol || "none"}); waiting for session.created…`));
    socket.addEventListener("message", (message) => onTextEvent(state, message.data));
    socket.addEventListener("error", () => note("WebSocket error; the close code below says more.", "error"));
    socket.addEventListener("close", (event) => {
      const meaning = CLOSE_MEANINGS[event.code] ? ` (${CLOSE_MEANINGS[event.code]})` : "";
      const reason = event.reason ? `, reason "${event.reason}"` : "";
      const planned = state.closing && event.code === 1000;
      note(`WebSocket closed: code ${event.code}${meaning}${reason}`, planned ? "" : "error");
      if (session === state) ended(planned ? "Disconnected." : `Closed by the server or the network: code ${event.code}${reason}.`, planned ? "" : "error");
    });
    return state;
  }

  function onTextEvent(state, data) {
    let event;
    try {
      event = JSON.parse(data);
    } catch (_) {
      note(`← (not JSON) ${String(data).slice(0, 200)}`, "error");
      return;
    }
    const type = event.type || "(no type)";
    switch (type) {
      case "session.created": {
        const granted = event.session || {};
        note(`← session.created: session ${granted.id || "?"}, model ${granted.model || "?"}`);
        state.ready = true;
        setStatus(`Connected (text): session ${granted.id || "?"}, model ${granted.model || "?"}.`, "ok");
        refreshControls();
        ui.message.focus();
        return;
      }
      case "response.output_text.delta":
      case "response.text.delta": {
        if (state.reply === null) {
          state.reply = say("Model", "");
          state.replyText = "";
        }
        state.replyText += event.delta || "";
        state.reply.textContent = redact(state.replyText);
        return;
      }
      case "response.done": {
        const status = (event.response && event.response.status) || "done";
        note(`← response.done (${status}): reply: ${state.replyText}`);
        state.reply = null;
        state.replyText = "";
        return;
      }
      case "error": {
        const error = event.error || {};
        note(`← error ${error.code || error.type || ""}: ${error.message || JSON.stringify(error)}`, "error");
        return;
      }
      default:
        note(`← ${type}`);
    }
  }

  // -- voice over WebRTC ----------------------------------------------------------------
  async function openVoice(getSecret, stale) {
    if (!config.callsUrl) {
      throw new Error("Voice needs a WebRTC URL, and none is known for this connection (Azure's preview API); use text mode.");
    }
    if (!navigator.mediaDevices || !window.RTCPeerConnection) {
      throw new Error("This browser offers no microphone or WebRTC here (a page needs http://127.0.0.1 or https).");
    }
    const state = { kind: "voice", ready: false, closed: false };
    let microphone;
    try {
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      throw new Error(`No microphone: ${error.name}: ${error.message}`);
    }
    const peer = new RTCPeerConnection();
    state.close = () => {
      state.closed = true;
      peer.close();
      microphone.getTracks().forEach((track) => track.stop());
      ui.audio.srcObject = null;
    };
    try {
      peer.addEventListener("track", (event) => {
        ui.audio.srcObject = event.streams[0];
        note("Remote audio is playing.");
      });
      peer.addEventListener("connectionstatechange", () => {
        note(`WebRTC connection: ${peer.connectionState}`, peer.connectionState === "failed" ? "error" : "");
        if (peer.connectionState === "failed" && session === state) ended("The WebRTC connection failed.", "error");
      });
      microphone.getTracks().forEach((track) => peer.addTrack(track, microphone));
      const channel = peer.createDataChannel("oai-events");
      channel.addEventListener("open", () => {
        state.ready = true;
        setStatus("Connected (voice): speak into the microphone.", "ok");
        note("Data channel oai-events open.");
      });
      channel.addEventListener("message", (message) => onVoiceEvent(message.data));
      channel.addEventListener("close", () => note("Data channel oai-events closed."));
      const offer = await peer.createOffer();
      await peer.setLocalDescription(offer);
      const secret = await getSecret();
      if (stale()) {  // Disconnect was pressed meanwhile: the secret stays unused
        state.close();
        return state;
      }
      note(`POST ${config.callsUrl} (SDP offer, ${offer.sdp.length} bytes)`);
      let response;
      try {
        response = await fetch(config.callsUrl, {
          method: "POST",
          body: offer.sdp,
          headers: { Authorization: "Bearer " + secret.value, "Content-Type": "application/sdp" },
          credentials: "omit",
          referrerPolicy: "no-referrer",
        });
      } catch (error) {
        throw new Error(`Cannot reach ${config.callsUrl} (${error.message}).`);
      }
      const body = await response.text();
      if (!response.ok) {
        throw new Error(`The call was refused: HTTP ${response.status}: ${describeUpstreamError(body)}`);
      }
      note(`← HTTP ${response.status} SDP answer${response.headers.get("Location") ? " (call " + response.headers.get("Location") + ")" : ""}`);
      try {
        await peer.setRemoteDescription({ type: "answer", sdp: body });
      } catch (error) {
        throw new Error(`The SDP answer could not be applied: ${error.message}`);
      }
      note("SDP answer applied; connecting media…");
      return state;
    } catch (error) {
      state.close();
      throw error;
    }
  }

  function onVoiceEvent(data) {
    let event;
    try {
      event = JSON.parse(data);
    } catch (_) {
      note("← (not JSON) on oai-events", "error");
      return;
    }
    const type = event.type || "(no type)";
    if (type === "error") {
      const error = event.error || {};
      note(`← error ${error.code || error.type || ""}: ${error.message || ""}`, "error");
    } else if (type === "response.output_audio_transcript.done" || type === "response.audio_transcript.done") {
      say("Model", event.transcript || "");
      note(`← ${type}`);
    } else if (type === "conversation.item.input_audio_transcription.completed") {
      say("You", event.transcript || "");
      note(`← ${type}`);
    } else if (!type.endsWith(".delta")) {
      note(`← ${type}`);
    }
  }

  // -- buttons ---------------------------------------------------------------------------
  function ended(text, kind) {
    session = null;
    connecting = false;
    setStatus(text, kind);
    refreshControls();
    ui.connect.focus();
  }

  let attempt = 0;
  async function connect() {
    if (session !== null || connecting) return;
    const mine = ++attempt;
    connecting = true;
    refreshControls();
    const mode = ui.mode.value;
    setStatus(`Connecting (${mode})…`);
    const stale = () => mine !== attempt;  // Disconnect was pressed meanwhile
    try {
      let opened;
      if (mode === "voice") {
        opened = await openVoice(fetchSecret, stale);
      } else {
        const secret = await fetchSecret();
        if (stale()) return;
        opened = openText(secret);
      }
      if (stale()) {
        opened.close();
        return;
      }
      session = opened;
      connecting = false;
      if (!session.ready) setStatus(`Connecting (${mode})…`);
      refreshControls();
    } catch (error) {
      if (stale()) return;
      note(error.message, "error");
      ended(`Could not connect: ${error.message}`, "error");
    }
  }

  function disconnect() {
    attempt += 1;
    const current = session;
    session = null;
    connecting = false;
    if (current) current.close();
    note("Disconnected by you.");
    setStatus("Disconnected.");
    refreshControls();
    ui.connect.focus();
  }

  ui.connect.addEventListener("click", connect);
  ui.disconnect.addEventListener("click", disconnect);
  ui.mode.addEventListener("change", refreshControls);
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();  // form-action 'none': nothing is ever submitted anywhere
    const text = ui.message.value.trim();
    if (!text || session === null || session.kind !== "text" || !session.ready) return;
    say("You", text);
    session.send(text);
    ui.message.value = "";
  });
  ui.clear.addEventListener("click", () => {
    ui.log.replaceChildren();
    ui.transcript.replaceChildren();
  });
  window.addEventListener("pagehide", () => { if (session) session.close(); });

  refreshControls();
  note(`Ready: model ${config.model || "(the server's default)"}, ${config.api.toUpperCase()} API${serveToken ? ", serve token from the address" : ""}. Choose a mode and press Connect.`);
})();
