// The route shapes every resource repeats, each as one decorator: read one by its path id, delete one, list
// a page. Each says what it answers (the OpenAPI operation, response and problem codes) where it routes.
import { Delete, Get, HttpCode, Param, applyDecorators, type Type } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, type ApiOperationOptions } from '@nestjs/swagger';
import { ApiErrorResponses } from './openapi.js';
import { uuidPipe } from './uuid.js';

const operation = (o: string | ApiOperationOptions) =>
  ApiOperation(typeof o === 'string' ? { summary: o } : o);

/** A path id (`:id` unless named): a UUID, or 404 naming `what` before the handler runs. */
export function PathId(what: string, param = 'id'): ParameterDecorator {
  return Param(param, uuidPipe(what));
}

/** GET of one resource: 200 with `type`, or 404. */
export function GetOne(summary: string | ApiOperationOptions, type: Type, path = ':id'): MethodDecorator {
  return applyDecorators(
    Get(path),
    operation(summary),
    ApiOkResponse({ type }),
    ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND'),
  );
}

/** DELETE of one resource: 204, or 404. */
export function DeleteOne(summary: string | ApiOperationOptions, path = ':id'): MethodDecorator {
  return applyDecorators(
    Delete(path),
    HttpCode(204),
    operation(summary),
    ApiNoContentResponse(),
    ApiErrorResponses('VALIDATION_FAILED', 'NOT_FOUND'),
  );
}

/** GET of a page of a list (`?limit`, `?cursor` and the list's filters): 200 with `type`. */
export function ListPage(summary: string | ApiOperationOptions, type: Type, path = ''): MethodDecorator {
  return applyDecorators(
    Get(path),
    operation(summary),
    ApiOkResponse({ type }),
    ApiErrorResponses('VALIDATION_FAILED'),
  );
}
