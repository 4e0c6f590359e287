/**
 * Sound and flash for the desk: staff at a busy desk look at the patron,
 * not the screen, so saved, warning and error each sound different.
 */
export type Feedback = 'saved' | 'warning' | 'error';

let audio: AudioContext | undefined;

const TONES: Record<Feedback, [number, number][]> = {
  saved: [[880, 0.08]],
  warning: [[520, 0.12], [520, 0.12]],
  error: [[220, 0.35]],
};

const FLASHES = ['flash-saved', 'flash-warning', 'flash-error'];

/**
 * Ends the last scan's flash when the next scan starts (its own flash follows
 * once it is saved). While a flash fades the page draws every frame, and
 * Chromium holds back the service worker's answers and IndexedDB results after
 * a key press until the next frame whenever one is pending: a fade still
 * running at Enter delayed "Saved" by up to a frame. With no flash running
 * nothing changes, so nothing is redrawn.
 */
export function endFlash(target: HTMLElement): void {
  if (FLASHES.some((c) => target.classList.contains(c))) target.classList.remove(...FLASHES);
}

export function signal(kind: Feedback, flashTarget?: HTMLElement): void {
  if (flashTarget) {
    endFlash(flashTarget);
    void flashTarget.offsetWidth; // restart the animation when the same kind repeats
    flashTarget.classList.add(`flash-${kind}`);
  }
  try {
    audio ??= new AudioContext();
    let at = audio.currentTime;
    for (const [freq, length] of TONES[kind]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.08;
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + length);
      at += length + 0.05;
    }
  } catch {
    // No audio device: the flash and the announcement still tell.
  }
}
