import * as z from 'zod';

export const Settings = z
  .object({
    signInWithoutEmail: z.boolean().meta({ description: 'Sign-up by access code and sign-in with uid:domain. Off for a new organisation.' }),
    accessCodeTtlDays: z.number().int().min(1).max(365).meta({ description: 'Days an access code stays valid (1 to 365, default 30).' }),
    resetCodeTtlHours: z.number().int().min(1).max(720).meta({ description: 'Hours a password reset code stays valid (1 to 720, default 72).' }),
  });
export type Settings = z.infer<typeof Settings>;

export const UpdateSettingsBody = Settings.partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'name at least one setting to change' });
export type SettingsPatch = z.infer<typeof UpdateSettingsBody>;

/** A new organisation's settings; a setting added later reads as its default for older ones. */
export const settingDefaults: Settings = { signInWithoutEmail: false, accessCodeTtlDays: 30, resetCodeTtlHours: 72 };
