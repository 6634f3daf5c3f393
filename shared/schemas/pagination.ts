import * as z from 'zod';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50).meta({ description: '1 to 100 items a page (default 50).' }),
  cursor: z.string().min(1).max(2048).optional().meta({ description: 'The nextCursor of the previous page.' }),
};

export const PageQuery = z.strictObject(pageQuery);
export type PageInput = { limit: number; cursor?: string };

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
