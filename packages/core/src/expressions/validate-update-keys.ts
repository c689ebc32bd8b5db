// PLACEHOLDER: the validation work fills this in (issue 3).
import type { PrimaryKeySchema } from '../model/key-schema.js';
import type { UpdateNode } from './ast.js';

/** Throws ValidationException ("Cannot update attribute <name>. This attribute is part of the key") when an update touches a key attribute. */
export function checkUpdateKeyAttributes(_update: UpdateNode, _schema: PrimaryKeySchema): void {}
