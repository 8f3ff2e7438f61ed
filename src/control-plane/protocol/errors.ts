// AWS-shaped errors: the error name goes to x-amzn-ErrorType, the message to {"message": ...}.

export class ApiError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError('BadRequestException', 400, message);
export const notFound = (message: string) => new ApiError('NotFoundException', 404, message);
export const conflict = (message: string) => new ApiError('ConflictException', 409, message);
export const validationError = (message: string) => new ApiError('ValidationException', 400, message);
export const limitExceeded = (message: string) => new ApiError('LimitExceededException', 429, message);
export const unauthorized = (message: string) => new ApiError('UnauthorizedException', 401, message);
export const tooManyRequests = (message: string) => new ApiError('TooManyRequestsException', 429, message);
export const serviceUnavailable = (message: string) => new ApiError('ServiceUnavailableException', 503, message);
export const notImplemented = (operation: string) =>
  new ApiError('NotImplementedException', 501, `${operation} is not implemented by Portico yet`);
