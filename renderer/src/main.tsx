import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api';
import { App } from './App';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
if (window.quicksend) {
  root.render(
    <StrictMode>
      <ApiProvider api={window.quicksend}>
        <App />
      </ApiProvider>
    </StrictMode>,
  );
} else {
  root.render(<p role="alert">Quicksend could not connect to its main process. Restart the app.</p>);
}
