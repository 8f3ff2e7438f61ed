import { FunctionRunner } from './src/data-plane/lambda/runner/runner.ts';
const r = new FunctionRunner({ functionsDir: '/work/main/test/functions', region: 'us-east-1', timeoutMs: 2000, memoryMb: 128, concurrency: 4, idleMs: 60000 });
const arn = (n: string) => `arn:aws:lambda:us-east-1:123456789012:function:${n}`;
for (let i = 0; i < 3; i++) { const t = Date.now(); const x = await r.invoke({ functionArn: arn('callback'), payload: Buffer.from('{}') }); console.log(x.payload.toString().slice(0,100), Date.now() - t); }
for (let i = 0; i < 2; i++) { const t = Date.now(); const x = await r.invoke({ functionArn: arn('echo'), payload: Buffer.from('{}') }); console.log(x.payload.toString().slice(0,600), Date.now() - t); }
await r.close();
