import { readonly, ref, type Ref } from 'vue'

/** Phone width: below 768px the sidebar becomes a drawer and forms stack. */
export const MOBILE_QUERY = '(max-width: 767px)'

let shared: Ref<boolean> | null = null

/** True at phone width; one media-query listener shared by every component. */
export function useIsMobile(): Readonly<Ref<boolean>> {
  if (!shared) {
    const mobile = ref(false)
    if (typeof window.matchMedia === 'function') {
      const query = window.matchMedia(MOBILE_QUERY)
      mobile.value = query.matches
      query.addEventListener('change', (event) => (mobile.value = event.matches))
    }
    shared = mobile
  }
  return readonly(shared)
}
