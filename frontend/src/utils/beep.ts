/**
 * Short tones for scanning (a warehouse is loud and people look at the goods, not the screen):
 * one high beep for a good scan, two low ones for a code that was not understood. WebAudio
 * needs no sound file; where it is missing (old browsers, tests) nothing sounds.
 */
export type Tone = 'success' | 'error'

const STORAGE_KEY = 'jxc.scanSound'

type AudioContextClass = typeof AudioContext

let context: AudioContext | null = null

function audioContextClass(): AudioContextClass | undefined {
  if (typeof window === 'undefined') return undefined
  return window.AudioContext ?? (window as unknown as { webkitAudioContext?: AudioContextClass }).webkitAudioContext
}

/** The notes of a tone: [frequency Hz, start s, length s]. */
export function toneNotes(tone: Tone): [number, number, number][] {
  return tone === 'success' ? [[1568, 0, 0.09]] : [[392, 0, 0.13], [262, 0.17, 0.22]]
}

export function soundEnabled(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off'
  } catch {
    return true
  }
}

export function setSoundEnabled(enabled: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off')
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Plays a tone (a scan is a key press: browsers let a page make sound after one). */
export function beep(tone: Tone): void {
  if (!soundEnabled()) return
  const Context = audioContextClass()
  if (!Context) return
  try {
    context ??= new Context()
    if (context.state === 'suspended') void context.resume()
    const start = context.currentTime
    for (const [frequency, offset, length] of toneNotes(tone)) {
      const oscillator = context.createOscillator()
      const gain = context.createGain()
      oscillator.type = tone === 'success' ? 'sine' : 'square'
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.12, start + offset)
      gain.gain.exponentialRampToValueAtTime(0.001, start + offset + length)
      oscillator.connect(gain).connect(context.destination)
      oscillator.start(start + offset)
      oscillator.stop(start + offset + length)
    }
  } catch {
    // no audio device: the screen still says what happened
  }
}
