/**
 * type-graphql calls every @FieldResolver through a generic wrapper: per call it allocates the
 * resolver data, looks the resolver instance up in its container, runs the (empty) middleware
 * chain and re-sorts and maps the parameter list. A dashboard page makes ~1,000 such calls (each
 * `id`, each relation). A field resolver whose parameters are only @Root(), @Ctx() and @Info(),
 * with no middleware or roles, needs none of that: it is called directly instead. Any other
 * (arguments to convert or validate, a middleware) keeps type-graphql's wrapper.
 *
 * The matching of a schema field to its metadata is type-graphql's own (schema-generator.js):
 * the object type by name, its field by schema name, then the field resolver of that class and
 * method. Resolver classes are built here with `new`, as type-graphql's default container does:
 * they take no constructor arguments.
 */
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type Param = { kind: string; index: number; propertyName?: string; getType?: () => unknown };
type Method = (...values: unknown[]) => unknown;

/** The resolve function of a field resolver that can be called directly, or undefined. */
function directCall(instance: Record<string, unknown>, methodName: string, params: readonly Param[]): GraphQLFieldResolver<unknown, unknown> | undefined {
  const kinds = [...params].sort((a, b) => a.index - b.index).map((p) => (p.propertyName === undefined && rootAsIs(p) ? p.kind : 'other'));
  const method = (instance[methodName] as Method).bind(instance);
  switch (kinds.join(',')) {
    case 'root':
      return (root) => method(root);
    case 'root,context':
      return (root, _args, context) => method(root, context);
    case 'root,context,info':
      return (root, _args, context, info) => method(root, context, info);
    default:
      return undefined;
  }
}

/** type-graphql converts a @Root() declared as a class into an instance of it; a plain object type (Object) is passed as it is. */
const rootAsIs = (param: Param) => param.kind !== 'root' || param.getType === undefined || param.getType() === Object;

/** Replaces type-graphql's wrapper by a direct call where it adds nothing; returns the fields so resolved, as `Type.field`. */
export function resolveFieldsDirectly(schema: GraphQLSchema, resolverClasses: readonly (new () => object)[]): string[] {
  const storage = getMetadataStorage();
  const instances = new Map<object, Record<string, unknown>>();
  const instanceOf = (target: object) => {
    let found = instances.get(target);
    if (!found) instances.set(target, (found = new (target as new () => Record<string, unknown>)()));
    return found;
  };
  const direct: string[] = [];
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const fields = type.getFields();
    // As type-graphql builds the type: the implemented interfaces' fields, then its own (inherited ones included); the last of a name wins.
    const interfaceFields = storage.interfaceTypes.filter((i) => objectType.interfaceClasses?.includes(i.target)).flatMap((i) => i.fields ?? []);
    const byName = new Map([...interfaceFields, ...(objectType.fields ?? [])].map((f) => [f.schemaName, f]));
    for (const field of byName.values()) {
      const metadata = storage.fieldResolvers.find(
        (r) =>
          (r.kind === 'internal' || resolverClasses.includes(r.target as new () => object)) &&
          r.getObjectType?.() === field.target &&
          r.methodName === field.name,
      );
      const schemaField = fields[field.schemaName];
      if (!metadata || !schemaField || metadata.kind !== 'external' || metadata.middlewares?.length || metadata.roles?.length) continue;
      const resolve = directCall(instanceOf(metadata.target), metadata.methodName, (metadata.params ?? []) as Param[]);
      if (!resolve) continue;
      const name = `${type.name}.${schemaField.name}`;
      // Named, so that a stack trace (and a test) tells the direct call from type-graphql's.
      schemaField.resolve = Object.defineProperty(resolve, 'name', { value: `direct ${name}` });
      direct.push(name);
    }
  }
  return direct;
}
