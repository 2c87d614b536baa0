// The lesson page's players tell the site what the learner really watched (learners.views.video_progress): the
// ranges played at the video's own pace, never a jump of the playhead, in a heartbeat every 15 s of playing, on
// pause, at the end and when the page is hidden. The server merges the ranges, so a heartbeat sent twice counts
// once. A player the site follows carries data-watch-url (courses/blocks/video.html); it offers to resume where
// the learner left off, and the lesson's completion part (learners/includes/lesson_completion.html) shows the share
// watched and, once a heartbeat completed the lesson, says so.

const HEARTBEAT_MS = 15000;
// The most the playhead moves between two `timeupdate` events of normal playing (browsers send several a second,
// one a second or so in a background tab), at normal speed: a longer move is a jump, never watched seconds.
const MAX_STEP = 2;

function followWatching(video) {
  const media = Number(video.dataset.watchMedia);
  let played = []; // ranges ended since the last heartbeat was sent
  let start = null; // where the range being played began (null: none is being played)
  let last = 0; // how far it reached
  let sentAt = Date.now();
  let sentPosition = Number(video.dataset.watchPosition);

  // Extend the range being played to the playhead, or start a new range there after a jump.
  function advance() {
    const now = video.currentTime;
    const step = now - last;
    if (step >= 0 && step <= MAX_STEP * Math.max(1, video.playbackRate)) {
      last = now;
    } else {
      closeRange();
      openRange();
    }
  }

  function openRange() {
    start = last = video.currentTime;
  }

  function closeRange() {
    if (start !== null && last > start) {
      played.push([start, last]);
    }
    start = null;
  }

  function send({ keepalive = false } = {}) {
    if (start !== null) {
      advance();
      closeRange();
      if (!video.paused) {
        openRange();
      }
    }
    const position = video.currentTime;
    if (!played.length && position === sentPosition) {
      return;
    }
    const ranges = played;
    played = [];
    sentAt = Date.now();
    sentPosition = position;
    fetch(video.dataset.watchUrl, {
      method: "POST",
      credentials: "same-origin",
      keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": video.dataset.watchCsrf },
      body: JSON.stringify({ media, ranges, position }),
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((answer) => answer && show(answer))
      .catch(() => {
        played = ranges.concat(played); // not sent (offline): they go with the next heartbeat
      });
  }

  video.addEventListener("playing", () => {
    if (!played.length) {
      sentAt = Date.now(); // 15 s of playing before the next heartbeat, not of the page being open
    }
    closeRange();
    openRange();
  });
  video.addEventListener("timeupdate", () => {
    if (start === null || video.seeking) {
      return;
    }
    advance();
    if (Date.now() - sentAt >= HEARTBEAT_MS) {
      send();
    }
  });
  // A seek ends the range where the playhead was: the seconds jumped over are not watched.
  video.addEventListener("seeking", closeRange);
  video.addEventListener("seeked", () => {
    if (!video.paused) {
      openRange();
    }
  });
  video.addEventListener("pause", () => send());
  video.addEventListener("ended", () => send());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      send({ keepalive: true });
    }
  });
  window.addEventListener("pagehide", () => send({ keepalive: true }));

  const resume = video.closest("figure").querySelector("[data-watch-resume]");
  if (resume) {
    resume.hidden = false;
    resume.addEventListener("click", () => {
      resume.hidden = true;
      video.currentTime = Number(video.dataset.watchPosition);
      video.play().catch(() => {}); // the learner presses play, then
    });
  }
}

// The share of the video watched, and the lesson completed, as a heartbeat's answer tells.
function show(answer) {
  const percent = answer.duration ? Math.min(100, Math.floor((answer.watched_seconds * 100) / answer.duration)) : 0;
  for (const rule of document.querySelectorAll(`[data-watch-rule="${answer.media}"]`)) {
    const bar = rule.querySelector("[data-watch-progress]");
    bar.setAttribute("aria-valuenow", percent);
    bar.firstElementChild.className = `progress__bar pct-${percent}`;
    rule.querySelector("[data-watch-share]").textContent = percent;
  }
  if (answer.lesson_completed) {
    for (const rule of document.querySelectorAll("[data-watch-rule]")) {
      rule.querySelector("[data-watch-required]").hidden = true;
      rule.querySelector("[data-watch-done]").hidden = false;
    }
  }
}

document.querySelectorAll("video[data-watch-url]").forEach(followWatching);
