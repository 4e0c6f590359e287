/**
 * Fastify's schema compilers, made once per process instead of once per app. Fastify builds a
 * new validator pool and compiles every response schema again (fast-json-stringify) for each
 * instance; the schemas are the same module-level TypeBox objects for every instance, so the
 * compiled functions can be shared. The server builds one app and gains nothing; the tests
 * build one per test, and compiling was about 70 % of that (about 0.3 s each here).
 * Sharing is safe because the app adds no external schemas: the functions depend on the
 * schema object and the options alone.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;

/** One pool for every instance: the same options give the same Ajv, whose cache holds each compiled schema. */
const buildValidator = AjvCompiler();

const defaultSerializers = SerializerSelector();
const serializers = new WeakMap<object, (doc: unknown) => string>();

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = defaultSerializers(externalSchemas, options);
  return (route) => {
    const schema = route.schema as object | undefined;
    if (!schema || typeof schema !== 'object') return compile(route);
    let serialize = serializers.get(schema);
    if (!serialize) {
      serialize = compile(route);
      serializers.set(schema, serialize);
    }
    return serialize;
  };
};

export const schemaController = { compilersFactory: { buildValidator, buildSerializer } };
