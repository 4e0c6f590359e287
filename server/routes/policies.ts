import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParam } from '../../shared/schemas/common.js';
import { LoanPolicyBody, LoanPolicyRecord } from '../../shared/schemas/policies.js';
import { HttpError, refusal, notFound } from '../http-error.js';
import { requireSystemAdmin } from './system-admin.js';

const describe = (p: { item_type: string | null; patron_profile: string | null }): string =>
  p.item_type === null && p.patron_profile === null ? 'the default policy' : `the policy for ${p.item_type ?? 'any item type'} × ${p.patron_profile ?? 'any profile'}`;

/**
 * Loan policies (SPEC §3): one table for the whole library, read by processing and carried
 * to the desks offline. Any administrator may read them; changing them, like loading a
 * policy file, is for an administrator of a library system. A default policy always stays.
 */
export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { policies, branches } = app;

  /** A second policy for the same item type and profile would leave which one applies to chance. */
  function checkUnique(body: LoanPolicyBody, exceptId?: number): void {
    const same = policies.find(body.item_type, body.patron_profile);
    if (same && same.id !== exceptId) throw new HttpError(409, 'POLICY_EXISTS', `There is already ${describe(body)} (#${same.id}): change that one`);
  }

  app.get('/policies', {
    config: { access: { role: 'admin', to: 'view loan policies' } },
    schema: { summary: 'Every loan policy, the default first', response: { 200: Type.Array(LoanPolicyRecord), ...errors(401, 403) } },
  }, async () => policies.all());

  app.post('/policies', {
    config: { access: { role: 'admin', to: 'change loan policies' } },
    schema: { summary: 'Add a loan policy for an item type, a patron profile or both', body: LoanPolicyBody,
      response: { 201: LoanPolicyRecord, ...errors(400, 401, 403, 409) } },
  }, async (request, reply) => {
    requireSystemAdmin(request.access, branches, 'Changing loan policies');
    checkUnique(request.body);
    const id = policies.create(request.body);
    request.audit('policy.create', `policy ${id}`, { ...request.body });
    return reply.code(201).send(policies.byId(id)!);
  });

  app.post('/policies/:id', {
    config: { access: { role: 'admin', to: 'change loan policies' } },
    schema: { summary: 'Change a loan policy', params: IdParam, body: LoanPolicyBody, response: { 200: LoanPolicyRecord, ...errors(400, 401, 403, 404, 409) } },
  }, async (request) => {
    requireSystemAdmin(request.access, branches, 'Changing loan policies');
    const old = policies.byId(Number(request.params.id));
    if (!old) throw notFound(`Loan policy ${request.params.id}`);
    const wasDefault = old.item_type === null && old.patron_profile === null;
    if (wasDefault && (request.body.item_type !== null || request.body.patron_profile !== null)) {
      throw refusal(409, 'DEFAULT_POLICY_NEEDED', 'defaultPolicyStays');
    }
    checkUnique(request.body, old.id);
    policies.update(old.id, request.body);
    request.audit('policy.update', `policy ${old.id}`, { before: old, after: request.body });
    return policies.byId(old.id)!;
  });

  app.post('/policies/:id/remove', {
    config: { access: { role: 'admin', to: 'change loan policies' } },
    schema: { summary: 'Remove a loan policy (not the default)', params: IdParam, response: { 204: Type.Null(), ...errors(400, 401, 403, 404, 409) } },
  }, async (request, reply) => {
    requireSystemAdmin(request.access, branches, 'Changing loan policies');
    const old = policies.byId(Number(request.params.id));
    if (!old) throw notFound(`Loan policy ${request.params.id}`);
    if (old.item_type === null && old.patron_profile === null) {
      throw refusal(409, 'DEFAULT_POLICY_NEEDED', 'defaultPolicyNeeded');
    }
    policies.remove(old.id);
    request.audit('policy.remove', `policy ${old.id}`, { ...old });
    return reply.code(204).send(null);
  });
};
