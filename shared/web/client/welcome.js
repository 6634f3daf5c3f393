/* global window */
/**
 * /welcome in the browser: who is signed in, in which organisation and groups.
 * Sent as source text: self-contained.
 * @param {import('./lib').Lib} lib
 */
export function welcomeScript(lib) {
  const { t, byId, h } = lib;

  async function start() {
    if (!lib.session.get()) {
      byId('signed-out').hidden = false;
      return;
    }
    const answer = await lib.api('GET', '/v1/me');
    if (!answer.ok) {
      if (answer.status === 401) byId('signed-out').hidden = false;
      else lib.say(byId('welcome-message'), lib.problemText(answer.problem));
      return;
    }
    /** @type {import('./lib').SessionUser & { firstName?: string; groups: { id: string; name: string }[] }} */
    const me = answer.data;
    if (me.mustChangePassword) {
      window.location.assign('/sign-in');
      return;
    }
    lib.enableSignOut();
    const greeting = byId('greeting');
    greeting.textContent = t('welcome.greeting', { name: me.firstName || me.uid || me.email || '' });
    byId('organization').textContent = `${me.organization.name} (${me.organization.domain})`;
    byId('role').textContent = t(`role.${me.role}`);
    byId('identifier').textContent = me.signInIdentifier;
    const copyIdentifier = lib.button('copy-identifier');
    copyIdentifier.addEventListener('click', () => void lib.copy(me.signInIdentifier, copyIdentifier));
    const groups = me.groups.length > 0 ? me.groups.map((group) => h('li', {}, group.name)) : [h('li', { class: 'muted' }, t('welcome.noGroups'))];
    byId('groups').replaceChildren(...groups);
    byId('admin-link').hidden = me.role !== 'admin';
    byId('profile').hidden = false;
    greeting.focus();
  }
  void start();
}
