import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Routes reachable without a session (the login page). */
    public?: boolean
    /** Module the route belongs to; the server must list it in `me.modules`. */
    module?: string
    /** `module.action` the user needs; without it the route shows the 403 page. */
    permission?: string
    /** A page about cost: only for users whose roles may see costs (`me.can_see_costs`). */
    costs?: boolean
    /** i18n key of the page title (browser tab). */
    titleKey?: string
    /** Path of the menu entry to highlight on a page that has none (a document under its list). */
    activeMenu?: string
  }
}
