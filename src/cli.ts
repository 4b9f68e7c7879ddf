// Action entry: replaced by the real run in src/action/.
console.log('slipway');
