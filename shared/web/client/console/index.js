// The admin console's scripts, in the order the page runs them: the kit and the shell first,
// then each section, which registers itself with the shell (the user panel's parts before the
// users section that opens it; the letters, which several sections offer, before them).
export { consoleKit } from './kit.js';
export { consoleShell } from './shell.js';
export { settingsSection } from './settings.js';
export { groupsSection } from './groups.js';
export { inviteSection } from './invite.js';
export { lettersKit } from './letters.js';
export { invitationsSection } from './invitations.js';
export { userEditForm } from './user-edit.js';
export { userPasswordHelp } from './user-password.js';
export { userAccountActions } from './user-account.js';
export { userPanel } from './user-panel.js';
export { usersSection } from './users.js';
export { importSection } from './import.js';
export { exportSection } from './export.js';
export { auditSection } from './audit.js';
export { apiKeysSection } from './api-keys.js';
