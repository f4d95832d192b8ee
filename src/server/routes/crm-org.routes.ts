/**
 * Organisation and data scopes (CRM-02, PLT-02): departments with managers, users' departments,
 * and the role × action data-scope matrix. Administrators change them; every change is audited.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DataScopes,
  OrgRepository,
  defaultScopes,
  scopeActions,
  scopeLevels,
  scopeObjects,
} from '../../crm/index.ts';
import { notFound } from '../../shared/index.ts';
import { tables } from '../../store/index.ts';
import { eq } from 'drizzle-orm';
import { audit } from '../audit.ts';
import { requireUser } from '../auth/session-auth.ts';
import type { ServerDeps } from '../ports.ts';

const departmentView = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  managerUserId: z.string().nullable(),
});
const scopeRow = z.object({
  role: z.string(),
  object: z.enum(scopeObjects),
  action: z.enum(scopeActions),
  scope: z.enum(scopeLevels),
});

export const crmOrgRoutes =
  (deps: ServerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const org = new OrgRepository(deps.database.db);
    const scopes = new DataScopes(deps.database.db);
    const admin = requireUser('admin');

    app.get(
      '/api/crm/scopes',
      {
        preValidation: requireUser('admin', 'supervisor', 'sales_manager'),
        schema: {
          tags: ['crm'],
          summary: 'Data scopes in effect per role and action (stored, else built-in defaults)',
          response: { 200: z.array(scopeRow) },
        },
      },
      async () => {
        const rows: z.infer<typeof scopeRow>[] = [];
        for (const role of Object.keys(defaultScopes))
          for (const object of scopeObjects)
            for (const action of scopeActions)
              rows.push({ role, object, action, scope: await scopes.scopeOf(role, object, action) });
        return rows;
      },
    );

    app.put(
      '/api/crm/scopes',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary:
            'Set the data scope of a role for an action: none, own, own_and_subordinates, department, all',
          body: scopeRow.extend({ role: z.enum(Object.keys(defaultScopes) as [string, ...string[]]) }),
          response: { 200: scopeRow },
        },
      },
      async (req) => {
        const { role, object, action, scope } = req.body;
        const before = await scopes.scopeOf(role, object, action);
        await scopes.setScope(role, object, action, scope);
        await audit(deps, req, 'crm.scope.set', `${role}:${object}:${action}`, { from: before, to: scope });
        return req.body;
      },
    );

    app.get(
      '/api/departments',
      {
        preValidation: requireUser('admin', 'supervisor', 'sales_manager'),
        schema: {
          tags: ['crm'],
          summary: 'The organisation tree, flat',
          response: { 200: z.array(departmentView) },
        },
      },
      async () => org.listDepartments(),
    );

    app.post(
      '/api/departments',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary: 'Create a department under a parent, with a manager',
          body: z.object({
            name: z.string().trim().min(1).max(100),
            parentId: z.string().max(40).nullish(),
            managerUserId: z.string().max(40).nullish(),
          }),
          response: { 201: departmentView },
        },
      },
      async (req, reply) => {
        const all = await org.listDepartments();
        if (req.body.parentId && !all.some((d) => d.id === req.body.parentId))
          throw notFound(`department ${req.body.parentId}`);
        const created = await org.createDepartment(req.body);
        await audit(deps, req, 'department.create', created.id, { ...req.body });
        return reply.status(201).send(created);
      },
    );

    app.put(
      '/api/users/:id/department',
      {
        preValidation: admin,
        schema: {
          tags: ['crm'],
          summary:
            "Move a user into a department (null: none); changes whose manager sees the user's customers",
          params: z.object({ id: z.string().max(40) }),
          body: z.object({ departmentId: z.string().max(40).nullable() }),
          response: { 200: z.object({ userId: z.string(), departmentId: z.string().nullable() }) },
        },
      },
      async (req) => {
        const [user] = await deps.database.db
          .select({ id: tables.users.id, departmentId: tables.users.departmentId })
          .from(tables.users)
          .where(eq(tables.users.id, req.params.id));
        if (!user) throw notFound(`user ${req.params.id}`);
        const { departmentId } = req.body;
        if (departmentId && !(await org.listDepartments()).some((d) => d.id === departmentId))
          throw notFound(`department ${departmentId}`);
        await org.setUserDepartment([user.id], departmentId);
        await audit(deps, req, 'user.department', user.id, { from: user.departmentId, to: departmentId });
        return { userId: user.id, departmentId };
      },
    );
  };
